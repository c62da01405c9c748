// The access matrix: every role × every procedure × a place inside and outside the caller's
// jurisdiction, against the policy written out below (independently of the server's code). A call the
// policy allows must get past authorisation and answer nothing about units outside the caller's
// jurisdiction; a call it denies must be refused (FORBIDDEN, or NOT_FOUND for a case the caller may not
// see) without touching the data. A procedure added to the router without a row here fails the test.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Accounts, type Principal } from '../../server/auth/accounts';
import { CAPABILITIES, OFFICER_ROLES, ROLES, type Role } from '../../server/domain/access';
import { MS_PER_DAY, formatChinaDate } from '../../server/domain/china-time';
import { EMPTY_SCENARIO_EDITS } from '../../server/domain/scenario';
import { appRouter } from '../../server/routers/app';
import { SqliteAccountStore } from '../../server/store/sqlite-account-store';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createCallerFactory } from '../../server/trpc';
import { principalFor, testContext } from '../support/context';

/** 沈河区滨河街道 (Shenhe district, Shenyang), where the test data has cases, grids and facilities. */
const STREET = '210103005';

/** Each role's jurisdiction in the matrix, a unit inside it, and one outside it. */
const CALLERS: Record<Role, { jurisdiction: string; inside: string; outside: string }> = {
  admin: { jurisdiction: '2101', inside: STREET, outside: '2102' },
  'province-officer': { jurisdiction: '21', inside: STREET, outside: '2201' },
  'city-officer': { jurisdiction: '2101', inside: STREET, outside: '2102' },
  'county-officer': { jurisdiction: '210103', inside: STREET, outside: '210102' },
  'street-officer': { jurisdiction: STREET, inside: STREET, outside: '210103019' },
  'grid-worker': { jurisdiction: `${STREET}003`, inside: `${STREET}003`, outside: `${STREET}013` },
  planner: { jurisdiction: '2101', inside: STREET, outside: '2102' },
  viewer: { jurisdiction: '210103', inside: STREET, outside: '210102' },
  kiosk: { jurisdiction: STREET, inside: STREET, outside: '210103019' },
};

/** What a procedure needs: nothing, any caller, or a capability; whether kiosks may call it; whether it takes a place. */
/** 'recordBoundary': officers and administrators (a side of the line inside the jurisdiction). */
/** 'assign', 'review': roles whose workflow actions include that one (the desk's handler suggestions, review sample). */
/** 'importData': administrators of the whole deployment only (the matrix's administrator, of 2101, is refused). */
type Need = 'open' | 'any' | 'readCases' | 'report' | 'act' | 'assign' | 'review' | 'plan' | 'administer' | 'recordBoundary' | 'importData';
interface Rule {
  need: Need;
  wall: boolean;
  place: boolean;
}

const POLICY: Record<string, Rule> = {
  'meta.health': { need: 'open', wall: true, place: false },
  'geo.adminUnits': { need: 'any', wall: true, place: true },
  'geo.adminTree': { need: 'any', wall: true, place: true },
  'geo.boundaryLines': { need: 'any', wall: true, place: true },
  'geo.grids': { need: 'any', wall: true, place: true },
  'geo.facilities': { need: 'any', wall: true, place: true },
  'geo.roads': { need: 'any', wall: false, place: true },
  'coverage.parameters': { need: 'any', wall: true, place: false },
  'coverage.serviceAreas': { need: 'any', wall: false, place: true },
  'coverage.rates': { need: 'any', wall: true, place: true },
  'coverage.workstations': { need: 'any', wall: false, place: true },
  'coverage.completeness': { need: 'any', wall: true, place: true },
  'coverage.curve': { need: 'any', wall: false, place: true },
  'coverage.gaps': { need: 'any', wall: true, place: true },
  'dashboard.summary': { need: 'any', wall: true, place: true },
  'dashboard.latest': { need: 'any', wall: true, place: true },
  'events.list': { need: 'readCases', wall: false, place: true },
  'events.get': { need: 'readCases', wall: false, place: true },
  'events.stats': { need: 'any', wall: true, place: true },
  'events.kpis': { need: 'any', wall: true, place: true },
  'events.report': { need: 'report', wall: false, place: true },
  'events.transition': { need: 'act', wall: false, place: true },
  'desk.queue': { need: 'readCases', wall: false, place: true },
  'desk.suggestHandlers': { need: 'assign', wall: false, place: true },
  'desk.reviewSample': { need: 'review', wall: false, place: true },
  'events.live': { need: 'any', wall: true, place: true },
  'hotspots.cells': { need: 'any', wall: true, place: true },
  'hotspots.emerging': { need: 'any', wall: true, place: true },
  'hotspots.boundaryRisk': { need: 'any', wall: true, place: true },
  'brief.kpis': { need: 'any', wall: true, place: true },
  'brief.ranking': { need: 'any', wall: true, place: true },
  'brief.narrative': { need: 'any', wall: true, place: true },
  'boundaries.register': { need: 'any', wall: false, place: true },
  'boundaries.recordPatrol': { need: 'recordBoundary', wall: false, place: true },
  'boundaries.recordAgreement': { need: 'recordBoundary', wall: false, place: true },
  'plan.optimize': { need: 'plan', wall: false, place: true },
  'plan.evaluate': { need: 'plan', wall: false, place: true },
  'plan.export': { need: 'plan', wall: false, place: true },
  'reconcile.departments': { need: 'plan', wall: false, place: false },
  'reconcile.grids': { need: 'plan', wall: false, place: true },
  'reconcile.report': { need: 'plan', wall: false, place: true },
  'reconcile.export': { need: 'plan', wall: false, place: true },
  'scenario.list': { need: 'plan', wall: false, place: true },
  'scenario.get': { need: 'plan', wall: false, place: true },
  'scenario.save': { need: 'plan', wall: false, place: true },
  'scenario.remove': { need: 'plan', wall: false, place: true },
  'scenario.compare': { need: 'plan', wall: false, place: true },
  'admin.users': { need: 'administer', wall: false, place: false },
  'admin.tokens': { need: 'administer', wall: false, place: false },
  'admin.audit': { need: 'administer', wall: false, place: false },
  'admin.import': { need: 'importData', wall: false, place: false },
  'admin.importReport': { need: 'importData', wall: false, place: false },
  'admin.importHistory': { need: 'importData', wall: false, place: false },
  'admin.undoImport': { need: 'importData', wall: false, place: false },
  'admin.addUser': { need: 'administer', wall: false, place: true },
  'admin.setDisabled': { need: 'administer', wall: false, place: true },
  'admin.resetPassword': { need: 'administer', wall: false, place: true },
  'admin.addToken': { need: 'administer', wall: false, place: true },
  'admin.revokeToken': { need: 'administer', wall: false, place: true },
};

/** auth.* are about the caller's own account (tested in accounts tests), not about places. */
const ACCOUNT_PROCEDURES = ['auth.login', 'auth.logout', 'auth.me', 'auth.changePassword'];

function allowed(role: Role, rule: Rule, inside: boolean): boolean {
  if (rule.need === 'open') return true;
  if (role === 'kiosk' && !rule.wall) return false;
  const capabilities = CAPABILITIES[role];
  if (rule.need === 'readCases' && !capabilities.readCases) return false;
  if (rule.need === 'report' && !capabilities.report) return false;
  if (rule.need === 'act' && capabilities.actions.length === 0) return false;
  if ((rule.need === 'assign' || rule.need === 'review') && !capabilities.actions.includes(rule.need)) return false;
  if (rule.need === 'plan' && !capabilities.plan) return false;
  if (rule.need === 'administer' && !capabilities.administer) return false;
  if (rule.need === 'importData' && !(capabilities.administer && CALLERS[role].jurisdiction.length <= 2)) return false;
  if (rule.need === 'recordBoundary' && role !== 'admin' && !OFFICER_ROLES.includes(role)) return false;
  return !rule.place || inside;
}

let dir: string;
let store: SqliteStore;
let accounts: Accounts;
let nowMs: number;
const createCaller = createCallerFactory(appRouter);

/** Facts of the test data the samples need, per place code. */
const cases = new Map<string, number>();
const points = new Map<string, [number, number]>();
const usernames = new Map<string, string>();
const tokenIds = new Map<string, number>();

/** Bounding boxes for codes without units in the database (outside the province). */
const FOREIGN_BBOX: Record<string, [number, number, number, number]> = { '2201': [125.0, 43.6, 125.6, 44.2] };

function bboxOf(code: string): [number, number, number, number] {
  const box = store.unitBBox(code) ?? FOREIGN_BBOX[code];
  if (!box) throw new Error(`no bbox for ${code}`);
  // A small box in the unit's middle (roads of a whole city are refused as too large).
  const [x, y] = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  return [x - 0.004, y - 0.004, x + 0.004, y + 0.004];
}

/** A case placed inside a unit and not across a boundary from `jurisdiction`. */
function caseIn(code: string, jurisdiction: string): number {
  const key = `${code}|${jurisdiction}`;
  let id = cases.get(key);
  if (id === undefined) {
    const found = store.disputes
      .list({ withinCode: code, toMs: nowMs, limit: 200 })
      .find((dispute) => code.startsWith(jurisdiction) || !(dispute.otherSideCode ?? '').startsWith(jurisdiction));
    id = found?.id ?? 999_999_999;
    cases.set(key, id);
  }
  return id;
}

/** A point inside a unit: a grid's label point, else the unit's own (outside the province: Changchun). */
function pointIn(code: string): [number, number] {
  let point = points.get(code);
  if (!point) {
    const grid = store.grids({ withinCode: code })[0];
    const level = ({ 4: 'city', 6: 'county', 9: 'street', 12: 'community' } as const)[code.length as 4 | 6 | 9 | 12];
    const unit = level ? store.adminUnits({ level, withinCode: code.slice(0, 2), band: 0 }).find((candidate) => candidate.code === code) : undefined;
    point = grid?.labelLngLat ?? unit?.labelLngLat ?? [125.3, 43.9];
    points.set(code, point);
  }
  return point;
}

/** Whether two bboxes meet. */
const meet = (a: readonly number[], b: readonly number[]): boolean => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

/** A new scenario about a place, owned by the role's test user (one per call: a removal takes it away). */
function scenarioIn(code: string, role: Role): number {
  const fields = { name: '矩阵', within: code, kind: 'health_station' as const, maxMinutes: 15, edits: EMPTY_SCENARIO_EDITS, dataVersion: store.health().dataVersion };
  return accounts.store.scenarios.addScenario(fields, principalFor(role).actor, nowMs).id;
}

/** A boundary line with a side inside a unit and, for a unit outside the jurisdiction, none inside it ('0', unknown, when there is none). */
function lineIn(code: string, jurisdiction: string): string {
  const line = store
    .boundaryLines({ withinCode: code, band: 0 })
    .find((candidate) => code.startsWith(jurisdiction) || ![candidate.leftCode, candidate.rightCode].some((side) => side?.startsWith(jurisdiction)));
  return line?.id ?? '0';
}

const period = () => ({ from: nowMs - 90 * MS_PER_DAY, to: nowMs });
const siting = (code: string) => ({ kind: 'health_station' as const, maxMinutes: 15, within: code, objective: 'mclp' as const, newSites: 1, candidates: 'grid-centroids' as const });

/** A sample input of each procedure about a place (the caller's jurisdiction given for cases). */
const SAMPLES: Record<string, (code: string, jurisdiction: string, role: Role) => unknown> = {
  'meta.health': () => undefined,
  'geo.adminUnits': (code) => ({ level: 'community', parent: code }),
  'geo.adminTree': (code) => ({ code }),
  'geo.boundaryLines': (code) => ({ level: 'street', within: code }),
  'geo.grids': (code) => ({ within: code }),
  'geo.facilities': (code) => ({ within: code }),
  'geo.roads': (code) => ({ bbox: bboxOf(code) }),
  'coverage.parameters': () => undefined,
  'coverage.serviceAreas': (code) => ({ kind: 'health_station', maxMinutes: 15, within: code }),
  'coverage.rates': (code) => ({ kind: 'health_station', maxMinutes: 15, within: code, groupBy: 'community' }),
  'coverage.workstations': (code) => ({ within: code, groupBy: 'community' }),
  'coverage.completeness': (code) => ({ within: code, groupBy: code.length >= 12 ? 'grid' : 'community' }),
  'coverage.curve': (code) => ({ within: code, kind: 'health_station', minutes: [5, 15] }),
  'coverage.gaps': (code) => ({ kind: 'health_station', maxMinutes: 15, within: code }),
  'dashboard.summary': (code) => ({ within: code }),
  'dashboard.latest': (code) => ({ within: code, limit: 5 }),
  'events.list': (code) => ({ within: code, limit: 20 }),
  'desk.queue': (code) => ({ within: code, limit: 20 }),
  'desk.suggestHandlers': (code, jurisdiction) => ({ id: caseIn(code, jurisdiction) }),
  'desk.reviewSample': (code) => ({ within: code, from: nowMs - 90 * MS_PER_DAY, to: nowMs }),
  'events.get': (code, jurisdiction) => ({ id: caseIn(code, jurisdiction) }),
  'events.stats': (code) => ({ within: code, ...period(), groupBy: 'unit' }),
  'events.kpis': (code) => ({ within: code, ...period() }),
  'events.report': (code) => ({ lngLat: pointIn(code), type: 'neighbour', source: 'patrol' }),
  // A stale version: an allowed caller gets CONFLICT, so the matrix writes no step.
  'events.transition': (code, jurisdiction, role) => ({ id: caseIn(code, jurisdiction), action: CAPABILITIES[role].actions[0] ?? 'assign', version: 999_999 }),
  // From the log's start: more than the replay limit back, so the stream answers a resync at once.
  'events.live': (code) => ({ within: code, lastEventId: '0' }),
  'hotspots.cells': (code) => ({ within: code, ...period(), resolution: 9 }),
  'hotspots.emerging': (code) => ({ within: code, from: nowMs - 365 * MS_PER_DAY, to: nowMs, slice: 'month' }),
  'hotspots.boundaryRisk': (code) => ({ within: code, ...period() }),
  'brief.kpis': (code) => ({ within: code, ...period() }),
  'brief.ranking': (code) => ({ within: code, ...period(), kpi: 'disputesReported' }),
  'brief.narrative': (code) => ({ within: code, ...period(), lang: 'zh' }),
  'boundaries.register': (code) => ({ within: code }),
  'boundaries.recordPatrol': (code, jurisdiction) => ({ lineId: lineIn(code, jurisdiction), date: formatChinaDate(nowMs) }),
  'boundaries.recordAgreement': (code, jurisdiction) => ({ lineId: lineIn(code, jurisdiction), signedOn: formatChinaDate(nowMs) }),
  'plan.optimize': (code) => siting(code),
  'plan.evaluate': (code) => ({ kind: 'health_station', maxMinutes: 15, within: code, add: [pointIn(code)] }),
  'plan.export': (code) => ({ ...siting(code), format: 'csv' }),
  'reconcile.departments': () => undefined,
  'reconcile.grids': (code) => ({ department: '安全生产', within: code }),
  'reconcile.report': (code) => ({ department: '安全生产', within: code }),
  'reconcile.export': (code) => ({ department: '安全生产', within: code }),
  'scenario.list': (code) => ({ within: code }),
  'scenario.get': (code, _jurisdiction, role) => ({ id: scenarioIn(code, role) }),
  'scenario.save': (code) => ({ name: '矩阵', within: code, kind: 'health_station', maxMinutes: 15, edits: EMPTY_SCENARIO_EDITS }),
  'scenario.remove': (code, _jurisdiction, role) => ({ id: scenarioIn(code, role) }),
  'scenario.compare': (code, _jurisdiction, role) => ({ a: 'base', b: scenarioIn(code, role), groupBy: 'community' }),
  'admin.users': () => undefined,
  'admin.tokens': () => undefined,
  'admin.audit': () => ({ limit: 5 }),
  'admin.import': () => ({ uploadId: '0'.repeat(32), layer: 'facilities', dryRun: true }),
  'admin.importReport': () => ({ jobId: '00000000-0000-4000-8000-000000000000' }),
  'admin.importHistory': () => undefined,
  'admin.undoImport': () => undefined,
  'admin.addUser': (code, _jurisdiction, role) => ({ username: `new-${role}-${code}`, role: 'viewer', jurisdiction: code, password: 'a-long-password-1' }),
  'admin.setDisabled': (code) => ({ username: usernames.get(code) ?? 'nobody', disabled: false }),
  'admin.resetPassword': (code) => ({ username: usernames.get(code) ?? 'nobody' }),
  'admin.addToken': (code) => ({ role: 'viewer', jurisdiction: code, screenOnly: false }),
  'admin.revokeToken': (code) => ({ id: tokenIds.get(code) ?? 999_999 }),
};

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

async function call(principal: Principal, path: string, input: unknown): Promise<Outcome> {
  const caller = createCaller(testContext(store, { principal, accounts, now: () => nowMs })) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [group, name] = path.split('.') as [string, string];
  try {
    let value = await caller[group]![name]!(input);
    if (path === 'events.live') {
      // The subscription's first message: refused before it starts, or a resync for an allowed caller.
      const iterator = (value as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      value = (await iterator.next()).value;
      await iterator.return?.();
    }
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/**
 * Admin codes in an answer that are neither inside the jurisdiction nor on the way to it: a boundary
 * line's other side and a case seen across a boundary line are the only ones allowed.
 */
function foreignCodes(value: unknown, jurisdiction: string): string[] {
  const found: string[] = [];
  const onPath = (code: string) => code.startsWith(jurisdiction) || jurisdiction.startsWith(code);
  const visit = (node: unknown, key: string, parent: Record<string, unknown> | null): void => {
    if (typeof node === 'string') {
      if (!/^21(\d{2}|\d{4}|\d{7}|\d{10}|\d{13})$/.test(node) || onPath(node)) return;
      if (key === 'leftCode' || key === 'rightCode' || key === 'otherSideCode') return;
      // A handler suggested for a boundary case on the other side of its line (joint mediation).
      if (key === 'unitCode' && parent?.side === 'other') return;
      // A narrative names the neighbour across one of the unit's boundary lines.
      if (key === 'code' && parent?.acrossBoundary === true) return;
      if (key === 'placeCode' && typeof parent?.otherSideCode === 'string' && parent.otherSideCode.startsWith(jurisdiction)) return;
      found.push(`${key}=${node}`);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key, parent);
      return;
    }
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const [childKey, child] of Object.entries(record)) visit(child, childKey, record);
    }
  };
  visit(value, '', null);
  return [...new Set(found)];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-matrix-'));
  const databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  store = new SqliteStore(databasePath, { writable: true });
  nowMs = inject('testDemo').nowMs! + 3_600_000;
  accounts = new Accounts(new SqliteAccountStore(':memory:'), { anonymous: 'none', deploymentCode: '21' });
  // A user and a token at every place of the matrix, for the admin procedures to act on.
  const places = new Set(Object.values(CALLERS).flatMap(({ inside, outside }) => [inside, outside]));
  for (const code of places) {
    const username = `user-${code}`;
    await accounts.addUser('test', { username, role: 'viewer', jurisdiction: code.length === 15 ? code.slice(0, 12) : code, password: 'a-long-password-1' });
    usernames.set(code, username);
    tokenIds.set(code, accounts.addToken('test', { role: 'viewer', jurisdiction: code, screenOnly: false }).record.id);
  }
}, 120_000);

afterAll(() => {
  store.close();
  accounts.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the access matrix', () => {
  it('has a rule and a sample for every procedure of the router', () => {
    const procedures = Object.keys(appRouter._def.procedures as Record<string, unknown>).filter((path) => !ACCOUNT_PROCEDURES.includes(path));
    expect(procedures.sort()).toEqual(Object.keys(POLICY).sort());
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(POLICY).sort());
  });

  for (const role of ROLES) {
    const { jurisdiction, inside, outside } = CALLERS[role];
    it(`${role} of ${jurisdiction}: allowed calls pass and show nothing outside it, denied ones are refused`, async () => {
      const principal = principalFor(role, jurisdiction);
      const problems: string[] = [];
      for (const [path, rule] of Object.entries(POLICY)) {
        for (const [place, code] of [['inside', inside], ['outside', outside]] as const) {
          if (!rule.place && place === 'outside') continue;
          // Roads are cut to the jurisdiction's bounding box: a box that meets it is answered (clipped).
          const inside = place === 'inside' || (path === 'geo.roads' && meet(bboxOf(code), store.unitBBox(jurisdiction)!));
          const expected = allowed(role, rule, inside);
          const outcome = await call(principal, path, SAMPLES[path]!(code, jurisdiction, role));
          const label = `${path} ${place} (${code})`;
          if (expected) {
            if (!outcome.ok && (outcome.code === 'FORBIDDEN' || outcome.code === 'UNAUTHORIZED' || /no dispute/.test(outcome.message))) {
              problems.push(`${label}: allowed by the policy, refused ${outcome.code}: ${outcome.message}`);
            }
            if (outcome.ok) {
              const leaked = foreignCodes(outcome.value, jurisdiction);
              if (leaked.length > 0) problems.push(`${label}: answers about units outside ${jurisdiction}: ${leaked.slice(0, 5).join(', ')}`);
            }
          } else {
            const refused =
              !outcome.ok &&
              (outcome.code === 'FORBIDDEN' ||
                // A case or account the caller may not see answers as if it did not exist.
                (outcome.code === 'NOT_FOUND' && /no dispute|in your jurisdiction/.test(outcome.message)) ||
                // A boundary line no unit outside the province borders does not exist.
                (outcome.code === 'NOT_FOUND' && /no boundary line/.test(outcome.message)) ||
                // A report from outside the province is refused before anyone's jurisdiction matters.
                (outcome.code === 'BAD_REQUEST' && /not inside Liaoning/.test(outcome.message)));
            if (!refused) problems.push(`${label}: denied by the policy, answered ${outcome.ok ? 'ok' : `${outcome.code}: ${outcome.message}`}`);
            // A refusal never names what lies outside (beyond the code the caller sent).
            const named = outcome.ok ? [] : (outcome.message.match(/(?<!\d)2[12]\d{2,13}(?!\d)/g) ?? []).filter((c) => c !== code && c !== jurisdiction);
            if (named.length > 0) problems.push(`${label}: the refusal names other places: ${outcome.ok ? '' : outcome.message}`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 600_000);
  }

  it('answers a caller without a session only meta.health when anonymous access is off', async () => {
    for (const path of Object.keys(POLICY)) {
      const outcome = await call(null as unknown as Principal, path, SAMPLES[path]!(STREET, '21', 'viewer'));
      if (path === 'meta.health') {
        expect(outcome.ok).toBe(true);
        if (outcome.ok) expect(outcome.value).toMatchObject({ ok: true, counts: null, memory: null, pool: null });
      } else {
        expect(outcome, path).toMatchObject({ ok: false, code: 'UNAUTHORIZED' });
      }
    }
  });
});

describe("a street officer's events.stats for the city", () => {
  it("is refused, never the city's numbers; for the street it counts only the street", async () => {
    const officer = principalFor('street-officer', STREET);
    const city = await call(officer, 'events.stats', { within: '2101', ...period(), groupBy: 'type' });
    expect(city).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const own = await call(officer, 'events.stats', { within: STREET, ...period(), groupBy: 'type' });
    const province = await call(principalFor('province-officer', '21'), 'events.stats', { within: STREET, ...period(), groupBy: 'type' });
    expect(own.ok && province.ok).toBe(true);
    if (own.ok && province.ok) expect(own.value).toEqual(province.value);
    // Leaving `within` out of an optional field means the jurisdiction.
    const rates = await call(officer, 'coverage.workstations', { groupBy: 'community' });
    expect(rates.ok).toBe(true);
    if (rates.ok) expect(foreignCodes(rates.value, STREET)).toEqual([]);
  });
});
