// boundaries.* through createCaller on the test database (Shenyang, seed 1) with an accounts file on disk:
// the register lists 沈河区's lines with both sides; a joint patrol recorded by an officer of one side
// makes the line not due on the register, in geo.boundaryLines, hotspots.boundaryRisk (the wall's
// boundary scene) and the briefing's narrative; refusals (neither side, planner, future day, unknown
// line) write nothing; records survive reopening the accounts file; notes never reach the audit log.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Accounts, type Principal } from '../../../server/auth/accounts';
import type { Role } from '../../../server/domain/access';
import { MS_PER_DAY, formatChinaDate } from '../../../server/domain/china-time';
import { appRouter } from '../../../server/routers/app';
import { SqliteAccountStore } from '../../../server/store/sqlite-account-store';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { createCallerFactory } from '../../../server/trpc';
import { principalFor, testContext } from '../../support/context';
import { errorOf } from '../../support/trpc-errors';

/** 沈河区 (Shenhe district, Shenyang). */
const SHENHE = '210103';

const createCaller = createCallerFactory(appRouter);
let store: SqliteStore;
let dir: string;
let accountsPath: string;
let accounts: Accounts;
let nowMs: number;
let today: string;

const callerAs = (role: Role, jurisdiction: string, principal: Principal = principalFor(role, jurisdiction)) =>
  createCaller(testContext(store, { principal, accounts, now: () => nowMs }));

beforeAll(() => {
  store = new SqliteStore(inject('databasePath'));
  dir = mkdtempSync(join(tmpdir(), 'atlas-boundaries-'));
  accountsPath = join(dir, 'accounts.sqlite');
  accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
  nowMs = inject('testDemo').nowMs! + 3_600_000;
  today = formatChinaDate(nowMs);
});

afterAll(() => {
  store.close();
  accounts.store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A street line inside 沈河区 due a joint patrol (both sides are streets of the district). */
async function dueStreetLine() {
  const register = await callerAs('county-officer', SHENHE).boundaries.register({ within: SHENHE });
  const line = register.lines.find((row) => row.level === 'street' && row.patrolDue && row.rightCode?.startsWith(SHENHE) && row.leftCode.startsWith(SHENHE));
  if (!line) throw new Error('the test data has no street line of 沈河区 due a patrol');
  return line;
}

/** A street of 沈河区 on neither side of a line. */
function streetBesides(line: { leftCode: string; rightCode: string | null }): string {
  const street = store.adminChildren(SHENHE).find((unit) => unit.code !== line.leftCode && unit.code !== line.rightCode);
  return street!.code;
}

describe('boundaries.register', () => {
  it("lists the district's lines with both sides' codes and names, agreement, mediation, last patrol, days since and due", async () => {
    const register = await callerAs('viewer', SHENHE).boundaries.register({ within: SHENHE });
    expect(register).toMatchObject({ within: SHENHE, asOf: today, patrolDueDays: 90 });
    const expected = [...store.boundaryLines({ level: 'street', withinCode: SHENHE, band: 0 }), ...store.boundaryLines({ level: 'county', withinCode: SHENHE, band: 0 })];
    expect(register.lines.length).toBe(expected.filter((line) => line.rightCode !== null).length);
    expect(register.lines.length).toBeGreaterThan(5);
    for (const row of register.lines) {
      const baseline = expected.find((line) => line.id === row.id)!;
      expect(row.leftCode.startsWith(SHENHE) || row.rightCode!.startsWith(SHENHE)).toBe(true);
      expect(row).toMatchObject({ leftCode: baseline.leftCode, leftName: baseline.leftName, rightCode: baseline.rightCode, rightName: baseline.rightName });
      expect(row.leftName.length).toBeGreaterThan(0);
      expect(row.rightName!.length).toBeGreaterThan(0);
      expect(row.agreementSigned).toBe(baseline.agreementSigned);
      expect(row.jointMediation).toBe(baseline.jointMediation);
      expect(row.lastJointPatrol).toBe(baseline.lastJointPatrol?.slice(0, 10) ?? null);
      if (row.lastJointPatrol === null) {
        expect(row).toMatchObject({ daysSincePatrol: null, patrolDue: true });
      } else {
        const days = Math.round((Date.parse(today) - Date.parse(row.lastJointPatrol)) / MS_PER_DAY);
        expect(row.daysSincePatrol).toBe(days);
        expect(row.patrolDue).toBe(days > 90);
      }
    }
    // Due lines first.
    const firstNotDue = register.lines.findIndex((row) => !row.patrolDue);
    expect(register.lines.slice(firstNotDue).every((row) => !row.patrolDue)).toBe(true);
  });

  it('refuses a unit outside the jurisdiction', async () => {
    const error = await errorOf(callerAs('street-officer', '210103005').boundaries.register({ within: '210102' }));
    expect(error.code).toBe('FORBIDDEN');
  });
});

describe('boundaries.recordPatrol and recordAgreement', () => {
  it('a patrol recorded by an officer of one side stops the line being due on the register, the map, the wall and the briefing', async () => {
    const line = await dueStreetLine();
    const officer = callerAs('street-officer', line.rightCode!);
    const period = { from: nowMs - 30 * MS_PER_DAY, to: nowMs };
    const county = callerAs('county-officer', SHENHE);
    const narrativeBeforeCounty = await county.brief.narrative({ within: SHENHE, ...period, lang: 'zh' });
    const dueBefore = narrativeBeforeCounty.facts.find((fact) => fact.id === 'boundary.patrolDue')!.value as number;

    const row = await officer.boundaries.recordPatrol({ lineId: line.id, date: today, note: '双方网格员联合巡查，张三在场' });
    expect(row).toMatchObject({ id: line.id, lastJointPatrol: today, daysSincePatrol: 0, patrolDue: false });

    const register = await county.boundaries.register({ within: SHENHE });
    expect(register.lines.find((r) => r.id === line.id)).toMatchObject({ lastJointPatrol: today, daysSincePatrol: 0, patrolDue: false });

    const lines = await county.geo.boundaryLines({ level: 'street', within: SHENHE });
    expect(lines.features.find((feature) => feature.properties.id === line.id)?.properties.lastJointPatrol).toBe(today);

    const risk = await county.hotspots.boundaryRisk({ within: SHENHE, from: nowMs - 90 * MS_PER_DAY, to: nowMs });
    expect(risk.features.find((feature) => feature.properties.id === line.id)?.properties.lastJointPatrol).toBe(today);

    const narrative = await county.brief.narrative({ within: SHENHE, ...period, lang: 'zh' });
    expect(narrative.facts.find((fact) => fact.id === 'boundary.patrolDue')!.value).toBe(dueBefore - 1);
    expect(narrative.facts.some((fact) => fact.id === `boundary.${line.id}.lastPatrol`)).toBe(false);

    // The note is user data, never in the audit log: the entry has ids, the day and the note's length.
    const entry = accounts.store.audit({ action: 'write', newestFirst: true, limit: 1 })[0]!;
    expect(entry).toMatchObject({ actor: 'user:test-street-officer', target: `boundary-line:${line.id}` });
    expect(entry.detail).toMatchObject({ procedure: 'boundaries.recordPatrol', day: today, noteChars: 14 });
    expect(JSON.stringify(entry)).not.toContain('张三');
  });

  it('an agreement recorded by an officer of the other side marks the line signed on that day', async () => {
    const register = await callerAs('county-officer', SHENHE).boundaries.register({ within: SHENHE });
    const line = register.lines.find((row) => row.level === 'street' && row.agreementSigned === false && row.rightCode?.startsWith(SHENHE)) ?? register.lines.find((row) => row.level === 'street')!;
    const signedOn = formatChinaDate(nowMs - 10 * MS_PER_DAY);
    const row = await callerAs('street-officer', line.leftCode).boundaries.recordAgreement({ lineId: line.id, signedOn });
    expect(row).toMatchObject({ id: line.id, agreementSigned: true, agreementSignedOn: signedOn });
    const after = await callerAs('viewer', SHENHE).boundaries.register({ within: SHENHE });
    expect(after.lines.find((r) => r.id === line.id)).toMatchObject({ agreementSigned: true, agreementSignedOn: signedOn });
  });

  it('an older patrol than the baseline does not move the last patrol back', async () => {
    const register = await callerAs('county-officer', SHENHE).boundaries.register({ within: SHENHE });
    const line = register.lines.find((row) => row.level === 'street' && row.lastJointPatrol !== null && row.lastJointPatrol > '2001-01-01' && row.leftCode.startsWith(SHENHE))!;
    await callerAs('county-officer', SHENHE).boundaries.recordPatrol({ lineId: line.id, date: '2001-01-01' });
    const after = await callerAs('county-officer', SHENHE).boundaries.register({ within: SHENHE });
    expect(after.lines.find((r) => r.id === line.id)!.lastJointPatrol).toBe(line.lastJointPatrol);
  });

  it('refuses officers of neither side, planners, viewers and kiosks (FORBIDDEN), future or early days (BAD_REQUEST), unknown lines (NOT_FOUND), writing nothing', async () => {
    const line = await dueStreetLine();
    const written = () => accounts.store.boundaryRecords.records(line.id).length;
    const before = written();
    const neither = await errorOf(callerAs('street-officer', streetBesides(line)).boundaries.recordPatrol({ lineId: line.id, date: today }));
    expect(neither.code).toBe('FORBIDDEN');
    expect(neither.message).toMatch(/no side in your jurisdiction/);
    for (const role of ['planner', 'viewer', 'kiosk', 'grid-worker'] as const) {
      const refused = await errorOf(callerAs(role, role === 'grid-worker' ? `${line.leftCode}001` : SHENHE).boundaries.recordPatrol({ lineId: line.id, date: today }));
      expect(refused.code, role).toBe('FORBIDDEN');
    }
    const planner = await errorOf(callerAs('planner', SHENHE).boundaries.recordAgreement({ lineId: line.id, signedOn: today }));
    expect(planner.code).toBe('FORBIDDEN');

    const officer = callerAs('street-officer', line.leftCode);
    const tomorrow = formatChinaDate(nowMs + MS_PER_DAY);
    const future = await errorOf(officer.boundaries.recordPatrol({ lineId: line.id, date: tomorrow }));
    expect(future.code).toBe('BAD_REQUEST');
    expect(future.message).toMatch(/in the future/);
    expect((await errorOf(officer.boundaries.recordAgreement({ lineId: line.id, signedOn: tomorrow }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(officer.boundaries.recordPatrol({ lineId: line.id, date: '1999-12-31' }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(officer.boundaries.recordPatrol({ lineId: line.id, date: '2026-02-30' }))).code).toBe('BAD_REQUEST');
    expect((await errorOf(officer.boundaries.recordPatrol({ lineId: line.id, date: today, note: 'x'.repeat(501) }))).code).toBe('BAD_REQUEST');

    const unknown = await errorOf(officer.boundaries.recordPatrol({ lineId: '99999999', date: today }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(written()).toBe(before);
  });

  it('keeps the records when the accounts file is reopened', async () => {
    const line = await dueStreetLine();
    await callerAs('street-officer', line.leftCode).boundaries.recordPatrol({ lineId: line.id, date: today, note: '复核' });
    accounts.store.close();
    accounts = new Accounts(new SqliteAccountStore(accountsPath), { anonymous: 'none', deploymentCode: '21' });
    const records = accounts.store.boundaryRecords.records(line.id);
    expect(records[0]).toMatchObject({ lineId: line.id, kind: 'patrol', day: today, note: '复核', leftCode: line.leftCode, rightCode: line.rightCode, recordedBy: 'user:test-street-officer' });
    const register = await callerAs('viewer', SHENHE).boundaries.register({ within: SHENHE });
    expect(register.lines.find((r) => r.id === line.id)).toMatchObject({ lastJointPatrol: today, patrolDue: false });
  });
});
