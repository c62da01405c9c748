// events.* through createCaller on a writable copy of the test database: the workflow state machine
// (every legal and illegal move), optimistic concurrency, masking of parties by role, keyset pages,
// statistics and KPIs against oracles computed from the raw rows, and hostile input storing nothing.

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import type { Role } from '../../../server/domain/access';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import {
  DISPUTE_ACTIONS,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  applyTransition,
  type DisputeAction,
  type DisputeStatus,
} from '../../../server/domain/dispute-workflow';
import { principalFor, testContext } from '../../support/context';
import { DEFAULT_DEADLINE_POLICY } from '../../../server/domain/dispute-deadlines';

let dir: string;
let store: SqliteStore;
let databasePath: string;
let clock: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction = '21') => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => clock }));
/** Officers of Shenhe district, where the cases of these tests are reported. */
const officer = () => callerAs('county-officer', '210103');

/** A point inside Shenhe district (Shenyang), where the test data has grids. */
let shenhePoint: [number, number];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlas-events-'));
  databasePath = join(dir, 'atlas.sqlite');
  copyFileSync(inject('databasePath'), databasePath);
  store = new SqliteStore(databasePath, { writable: true });
  clock = inject('testDemo').nowMs! + 3_600_000;
  const grid = store.grids({ withinCode: '210103' })[0]!;
  shenhePoint = grid.labelLngLat;
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], pattern?: RegExp): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe(code);
    if (pattern) expect((error as TRPCError).message).toMatch(pattern);
    return error as TRPCError;
  }
  throw new Error(`expected ${code}`);
}

function countRows(): { disputes: number; steps: number } {
  const db = new Database(databasePath, { readonly: true });
  try {
    return {
      disputes: (db.prepare('SELECT count(*) AS n FROM dispute').get() as { n: number }).n,
      steps: (db.prepare('SELECT count(*) AS n FROM dispute_step').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

async function reportOne(parties = [{ name: '测试甲', phone: '000-0000-0001' }]) {
  return officer().events.report({ lngLat: shenhePoint, type: 'neighbour', source: 'patrol', parties });
}

/** Drives a new case along the workflow until it reaches `status` (legal moves only). */
async function caseAt(status: DisputeStatus): Promise<{ id: number; version: number }> {
  const operator = officer();
  const { id } = await reportOne();
  let version = 1;
  const path: DisputeAction[] = { reported: [], assigned: ['assign'], accepted: ['assign', 'accept'], handled: ['assign', 'accept', 'handle'], feedback: ['assign', 'accept', 'handle', 'feedback'], reviewed: ['assign', 'accept', 'handle', 'feedback', 'review'], closed: ['assign', 'accept', 'handle', 'feedback', 'review', 'close'] }[status] as DisputeAction[];
  for (const action of path) {
    clock += 60_000;
    version = (await operator.events.transition({ id, action, version, ...(action === 'close' ? { outcome: 'mediated' as const } : {}) })).version;
  }
  return { id, version };
}

describe('deadlines by stage', () => {
  it('gives an escalated case the new level’s days from the escalation, keeps them through steps within the level, and restarts them on reopening', async () => {
    const operator = officer();
    const { id } = await reportOne();
    const reportedAt = clock;
    let version = 1;
    const step = async (action: DisputeAction, extra: Record<string, unknown> = {}) => {
      clock += 3_600_000;
      version = (await operator.events.transition({ id, action, version, ...extra })).version;
      return operator.events.get({ id });
    };
    expect((await step('assign')).stage).toEqual({ since: reportedAt, days: 10 });
    // A neighbours' dispute gets 10 days at the community too, 20 at the county (twice the type's days).
    const escalatedAt = clock + 3_600_000;
    const atCommunity = await step('escalate');
    expect(atCommunity).toMatchObject({ handlingLevel: 'community', dueAt: escalatedAt + 10 * MS_PER_DAY, stage: { since: escalatedAt, days: 10 } });
    expect((await step('accept')).dueAt).toBe(escalatedAt + 10 * MS_PER_DAY);
    await step('escalate');
    const countyAt = clock + 3_600_000;
    const atCounty = await step('escalate');
    expect(atCounty).toMatchObject({ handlingLevel: 'county', dueAt: countyAt + 20 * MS_PER_DAY, stage: { since: countyAt, days: 20 } });
    await step('accept');
    await step('handle');
    await step('feedback');
    await step('review');
    const reopenedAt = clock + 3_600_000;
    const reopened = await step('reopen', { note: '复查未通过' });
    expect(reopened).toMatchObject({ handlingLevel: 'county', dueAt: reopenedAt + 20 * MS_PER_DAY, stage: { since: reopenedAt, days: 20 } });
  });
});

describe('events.report and events.get', () => {
  it('stores a report in the grid holding its place, with a report step, and shows it back', async () => {
    const before = countRows();
    const result = await reportOne();
    expect(result).toMatchObject({ version: 1, status: 'reported' });
    expect(result.placeCode).toMatch(/^210103\d{9}$/);
    const found = await callerAs('province-officer').events.get({ id: result.id });
    expect(found).toMatchObject({ id: result.id, status: 'reported', handlingLevel: 'grid', type: 'neighbour', source: 'patrol', version: 1, reportedAt: clock });
    // A neighbours' dispute has 10 days at the grid (dispute-deadlines.ts).
    expect(found.dueAt).toBe(clock + 10 * MS_PER_DAY);
    expect(found.stage).toEqual({ since: clock, days: 10 });
    expect(found.history).toHaveLength(1);
    expect(found.history[0]).toMatchObject({ step: 0, action: 'report', toStatus: 'reported', seq: result.seq });
    expect(found.legalActions).toEqual(['assign']);
    expect(countRows()).toEqual({ disputes: before.disputes + 1, steps: before.steps + 1 });
  });

  it('masks parties for viewers, and shows them to officers', async () => {
    const { id } = await reportOne([{ name: '王小明', phone: '138-1234-5678' }]);
    const masked = await callerAs('viewer').events.get({ id });
    expect(masked.parties).toEqual([{ role: '申请人', name: '王**', phone: '***-****-5678' }]);
    expect((await officer().events.get({ id })).parties).toEqual([{ role: '申请人', name: '王小明', phone: '138-1234-5678' }]);
    expect((await callerAs('province-officer').events.get({ id })).parties).toEqual([{ role: '申请人', name: '王小明', phone: '138-1234-5678' }]);
  });
});

describe('events.report with an idempotencyKey', () => {
  /** An officer's caller whose audit entries are collected. */
  const auditedOfficer = (entries: unknown[][], on = store) =>
    createCaller(
      testContext(on, {
        principal: principalFor('county-officer', '210103'),
        now: () => clock,
        accounts: { audit: (...entry: unknown[]) => entries.push(entry) } as never,
      }),
    );
  const body = (summary: string) => ({ lngLat: shenhePoint, type: 'neighbour' as const, source: 'patrol' as const, summary, parties: [{ name: '测试丙' }] });
  const stepsOf = (id: number) => store.disputes.logAfter(0, 1_000_000, '210103').filter((entry) => entry.disputeId === id);

  it('answers the same key twice with the same case, written once (no second step, audit entry or live event)', async () => {
    const entries: unknown[][] = [];
    const rows = countRows();
    const seqBefore = store.disputes.lastSeq();
    const first = await auditedOfficer(entries).events.report({ ...body('重复提交'), idempotencyKey: 'phone-0001-aaaa' });
    clock += 1_000;
    const second = await auditedOfficer(entries).events.report({ ...body('重复提交'), idempotencyKey: 'phone-0001-aaaa' });
    expect(second).toEqual(first);
    expect(countRows()).toEqual({ disputes: rows.disputes + 1, steps: rows.steps + 1 });
    expect(entries.filter((entry) => entry[2] === `dispute:${first.id}`)).toHaveLength(1);
    expect(store.disputes.lastSeq()).toBe(seqBefore + 1);
    expect(stepsOf(first.id)).toHaveLength(1);
  });

  it('makes one case of two concurrent submissions with the same key', async () => {
    const rows = countRows();
    const [a, b] = await Promise.all([
      officer().events.report({ ...body('并发提交'), idempotencyKey: 'concurrent_key_01' }),
      officer().events.report({ ...body('并发提交'), idempotencyKey: 'concurrent_key_01' }),
    ]);
    expect(b).toEqual(a);
    expect(countRows()).toEqual({ disputes: rows.disputes + 1, steps: rows.steps + 1 });
    expect(stepsOf(a.id)).toHaveLength(1);
  });

  it('refuses the same key with another body as a CONFLICT, writing nothing', async () => {
    const first = await officer().events.report({ ...body('第一次'), idempotencyKey: 'reused-key-0001' });
    const rows = countRows();
    await expectTrpcError(officer().events.report({ ...body('第二次'), idempotencyKey: 'reused-key-0001' }), 'CONFLICT', new RegExp(`already reported case ${first.id} with a different body`));
    // Concurrently too: one of the pair is the first report, the other a conflict.
    const settled = await Promise.allSettled([
      officer().events.report({ ...body('甲'), idempotencyKey: 'reused-key-0002' }),
      officer().events.report({ ...body('乙'), idempotencyKey: 'reused-key-0002' }),
    ]);
    expect(settled.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(((settled.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason as TRPCError).code).toBe('CONFLICT');
    expect(countRows()).toEqual({ disputes: rows.disputes + 1, steps: rows.steps + 1 });
  });

  it('keeps keys per caller: another caller with the same key makes its own case', async () => {
    const mine = await officer().events.report({ ...body('各自的键'), idempotencyKey: 'shared-key-0001' });
    const theirs = await callerAs('grid-worker', '210103').events.report({ ...body('各自的键'), idempotencyKey: 'shared-key-0001' });
    expect(theirs.id).not.toBe(mine.id);
  });

  it('remembers keys across a restart', async () => {
    const first = await officer().events.report({ ...body('重启之后'), idempotencyKey: 'survives-restart' });
    const again = new SqliteStore(databasePath, { writable: true });
    try {
      const replay = await createCaller(testContext(again, { principal: principalFor('county-officer', '210103'), now: () => clock })).events.report({
        ...body('重启之后'),
        idempotencyKey: 'survives-restart',
      });
      expect(replay).toEqual(first);
    } finally {
      again.close();
    }
  });

  it('refuses malformed keys', async () => {
    const rows = countRows();
    for (const idempotencyKey of ['short', 'has space in it', 'ü'.repeat(10), 'x'.repeat(101)]) {
      await expectTrpcError(officer().events.report({ ...body('坏键'), idempotencyKey }), 'BAD_REQUEST', /idempotencyKey/);
    }
    expect(countRows()).toEqual(rows);
  });
});

describe('the workflow state machine through events.transition', () => {
  // For every status, try every action: legal ones must land where applyTransition says, illegal ones fail and store nothing.
  for (const status of DISPUTE_STATUSES) {
    for (const action of DISPUTE_ACTIONS) {
      const expected = applyTransition({ status, handlingLevel: 'grid' }, action);
      it(`${action} from ${status} is ${expected ? `legal (→ ${expected.status})` : 'refused'}`, async () => {
        const { id, version } = await caseAt(status);
        const before = countRows();
        clock += 60_000;
        const call = officer().events.transition({ id, action, version, note: `测试 ${action}`, ...(action === 'close' ? { outcome: 'mediated' as const } : {}) });
        if (expected) {
          const result = await call;
          expect(result.status).toBe(expected.status);
          expect(result.handlingLevel).toBe(expected.handlingLevel);
          expect(result.version).toBe(version + 1);
          expect(result.step).toMatchObject({ action, fromStatus: status, toStatus: expected.status, note: `测试 ${action}` });
          expect(countRows().steps).toBe(before.steps + 1);
        } else {
          await expectTrpcError(call, 'BAD_REQUEST', new RegExp(`cannot ${action} a case that is ${status}`));
          expect(countRows()).toEqual(before);
          expect((await officer().events.get({ id })).version).toBe(version);
        }
      });
    }
  }

  it('escalates level by level up to "above", then refuses', async () => {
    const assigned = await caseAt('assigned');
    const { id } = assigned;
    let { version } = assigned;
    for (const level of HANDLING_LEVELS.slice(1)) {
      const result = await officer().events.transition({ id, action: 'escalate', version });
      expect(result).toMatchObject({ status: 'assigned', handlingLevel: level });
      version = result.version;
    }
    await expectTrpcError(officer().events.transition({ id, action: 'escalate', version }), 'BAD_REQUEST', /above level/);
  });

  it('closes with an outcome, records time stamps, and reopens', async () => {
    const { id, version } = await caseAt('reviewed');
    clock += 60_000;
    const closed = await officer().events.transition({ id, action: 'close', version, outcome: 'agreement' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'agreement', resolvedLevel: 'grid', closedAt: clock });
    expect(closed.assignedAt).not.toBeNull();
    const reopened = await officer().events.transition({ id, action: 'reopen', version: closed.version });
    expect(reopened).toMatchObject({ status: 'assigned', closedAt: null, outcome: null, resolvedLevel: null });
    const history = (await officer().events.get({ id })).history;
    expect(history.map((step) => step.step)).toEqual(history.map((_, index) => index));
    expect(history.map((step) => step.seq)).toEqual([...history.map((step) => step.seq)].sort((a, b) => a - b));
  });

  it('refuses to close without an outcome, and leaves the case as it was', async () => {
    const { id, version } = await caseAt('reviewed');
    const before = await officer().events.get({ id });
    const rows = countRows();
    clock += 60_000;
    const error = await expectTrpcError(officer().events.transition({ id, action: 'close', version }), 'BAD_REQUEST', /close needs an outcome: .*mediated.*unresolved/);
    expect(error.message).toContain('agreement');
    expect(countRows()).toEqual(rows);
    const after = await officer().events.get({ id });
    expect(after).toMatchObject({ status: 'reviewed', version, outcome: null, closedAt: null });
    expect(after.history).toEqual(before.history);
  });

  it('refuses a close without an outcome in the store too (no silent default)', () => {
    return caseAt('reviewed').then(({ id, version }) => {
      const rows = countRows();
      expect(() => store.disputes.transition({ id, action: 'close', version, note: null, actorRole: 'dispatcher', at: clock }, DEFAULT_DEADLINE_POLICY)).toThrow(/close needs an outcome/);
      expect(() =>
        store.disputes.appendHistory({ cases: [], steps: [{ caseId: id, action: 'close', at: clock, actorRole: 'dispatcher', note: null }] }),
      ).toThrow(/steps\.0: close needs an outcome/);
      expect(countRows()).toEqual(rows);
      expect(store.disputes.get(id)!.dispute).toMatchObject({ status: 'reviewed', version, outcome: null });
    });
  });

  it('lets exactly one of two concurrent transitions with the same version win', async () => {
    const { id, version } = await caseAt('assigned');
    const operator = officer();
    const results = await Promise.allSettled([
      operator.events.transition({ id, action: 'accept', version }),
      operator.events.transition({ id, action: 'escalate', version }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as TRPCError).code).toBe('CONFLICT');
    expect((rejected[0]!.reason as TRPCError).message).toMatch(/version/);
    expect((await operator.events.get({ id })).version).toBe(version + 1);
  });
});

describe('hostile and malformed input stores nothing', () => {
  it('refuses a huge note, wrong types, unknown ids and roles that may not write', async () => {
    const { id, version } = await caseAt('assigned');
    const before = countRows();
    const operator = officer();
    await expectTrpcError(operator.events.transition({ id, action: 'accept', version, note: '长'.repeat(2_001) }), 'BAD_REQUEST', /note/);
    await expectTrpcError(operator.events.transition({ id, action: 'fly' as never, version }), 'BAD_REQUEST', /action/);
    await expectTrpcError(operator.events.transition({ id, action: 'accept', version: 'one' as never }), 'BAD_REQUEST', /version/);
    await expectTrpcError(operator.events.transition({ id: 999_999_999, action: 'accept', version: 1 }), 'NOT_FOUND', /id/);
    await expectTrpcError(operator.events.transition({ id, action: 'accept', version, outcome: 'mediated' }), 'BAD_REQUEST', /outcome/);
    await expectTrpcError(callerAs('viewer').events.transition({ id, action: 'accept', version }), 'FORBIDDEN');
    await expectTrpcError(callerAs('viewer').events.report({ lngLat: shenhePoint, type: 'other', source: 'walkIn' }), 'FORBIDDEN');
    expect(countRows()).toEqual(before);
  });

  it('refuses reports outside the province, with unknown types, bad parties or extra fields', async () => {
    const before = countRows();
    const operator = officer();
    await expectTrpcError(operator.events.report({ lngLat: [116.4, 39.9], type: 'other', source: 'walkIn' }), 'BAD_REQUEST', /lngLat.*not inside Liaoning/);
    await expectTrpcError(operator.events.report({ lngLat: [120.5, 39.6], type: 'other', source: 'walkIn' }), 'BAD_REQUEST', /not inside Liaoning/); // the Bohai Sea
    await expectTrpcError(operator.events.report({ lngLat: [Number.NaN, 41] as never, type: 'other', source: 'walkIn' }), 'BAD_REQUEST', /lngLat/);
    await expectTrpcError(operator.events.report({ lngLat: shenhePoint, type: 'gossip' as never, source: 'walkIn' }), 'BAD_REQUEST', /type/);
    await expectTrpcError(operator.events.report({ lngLat: shenhePoint, type: 'other', source: 'walkIn', parties: [{ name: '' }] }), 'BAD_REQUEST', /parties/);
    await expectTrpcError(operator.events.report({ lngLat: shenhePoint, type: 'other', source: 'walkIn', summary: 'x'.repeat(501) }), 'BAD_REQUEST', /summary/);
    await expectTrpcError(operator.events.report({ lngLat: shenhePoint, type: 'other', source: 'walkIn', sql: 'DROP TABLE dispute' } as never), 'BAD_REQUEST');
    expect(countRows()).toEqual(before);
  });

  it('stores text that looks like SQL or markup as plain text', async () => {
    const summary = "'); DROP TABLE dispute; -- <script>alert(1)</script>";
    const { id } = await officer().events.report({ lngLat: shenhePoint, type: 'other', source: 'walkIn', summary });
    expect((await officer().events.get({ id })).summary).toBe(summary);
  });
});

describe('events.list', () => {
  it('pages newest first with a keyset cursor: every case once, in order, filters respected, cases across the boundary included', async () => {
    const caller = officer();
    const from = inject('testDemo').nowMs! - 30 * MS_PER_DAY;
    const seen: { id: number; reportedAt: number }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await caller.events.list({ within: '210103', from, status: ['closed', 'reviewed'], limit: 200, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map(({ id, reportedAt }) => ({ id, reportedAt })));
      for (const item of result.items) {
        expect(item.placeCode.startsWith('210103') || item.otherSideCode?.startsWith('210103')).toBe(true);
        expect(['closed', 'reviewed']).toContain(item.status);
        expect(item.reportedAt).toBeGreaterThanOrEqual(from);
      }
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    const db = new Database(databasePath, { readonly: true });
    const expected = db
      .prepare(
        `SELECT id, reported_at AS reportedAt FROM dispute WHERE (grid_code LIKE '210103%' OR other_side_code LIKE '210103%') AND reported_at >= ? AND status IN (5, 6)
         ORDER BY reported_at DESC, id DESC`,
      )
      .all(from) as { id: number; reportedAt: number }[];
    db.close();
    expect(expected.length).toBeGreaterThan(200);
    expect(seen).toEqual(expected);
  });

  it('refuses a malformed cursor and an unknown unit', async () => {
    await expectTrpcError(callerAs('viewer').events.list({ within: '210103', cursor: 'abc', limit: 5 }), 'BAD_REQUEST', /cursor/);
    await expectTrpcError(callerAs('viewer').events.list({ within: '219999', limit: 5 }), 'NOT_FOUND', /within/);
  });
});

describe('events.stats and events.kpis', () => {
  const now = () => inject('testDemo').nowMs!;

  it('groups by type, status, unit and day, adding up to the cases of the period', async () => {
    const caller = callerAs('viewer');
    const input = { within: '2101', from: now() - 30 * MS_PER_DAY, to: now() };
    const db = new Database(databasePath, { readonly: true });
    const total = (db.prepare("SELECT count(*) AS n FROM dispute WHERE grid_code LIKE '2101%' AND reported_at >= ? AND reported_at < ?").get(input.from, input.to) as { n: number }).n;
    db.close();
    for (const groupBy of ['type', 'source', 'status', 'unit', 'day', 'week', 'month'] as const) {
      const { rows } = await caller.events.stats({ ...input, groupBy });
      expect(rows.reduce((sum, row) => sum + row.count, 0), groupBy).toBe(total);
    }
    const days = await caller.events.stats({ ...input, groupBy: 'day' });
    expect(days.rows).toHaveLength(30);
    expect(days.rows[0]!.key).toBe('2026-10-02');
    const units = await caller.events.stats({ ...input, groupBy: 'unit' });
    expect(units.rows.every((row) => /^2101\d{2}$/.test(row.key) && row.label.length > 0)).toBe(true);
    const types = await caller.events.stats({ ...input, groupBy: 'type' });
    expect(types.rows.find((row) => row.key === 'family')!.label).toBe('婚姻家庭');
  });

  it("gives Shenyang's KPIs for the last month and the month before, equal to a recount from the raw rows", async () => {
    const to = now();
    const from = to - 30 * MS_PER_DAY;
    const kpis = await createCaller(testContext(store, { principal: principalFor('viewer'), now: () => to })).events.kpis({ within: '2101', from, to });
    expect(kpis.period).toEqual({ from, to, asOf: to });
    expect(kpis.previousPeriod).toEqual({ from: from - 30 * MS_PER_DAY, to: from, asOf: to - 30 * MS_PER_DAY });

    const db = new Database(databasePath, { readonly: true });
    const recount = (start: number, end: number, asOf: number) => {
      const rows = db
        .prepare("SELECT due_at, reported_at, closed_at, resolved_level FROM dispute WHERE grid_code LIKE '2101%' AND reported_at >= ? AND reported_at < ?")
        .all(start, end) as { due_at: number; reported_at: number; closed_at: number | null; resolved_level: number | null }[];
      const closed = rows.filter((r) => r.closed_at !== null && r.closed_at <= asOf);
      const durations = closed.map((r) => r.closed_at! - r.reported_at).sort((a, b) => a - b);
      return {
        reported: rows.length,
        closed: closed.length,
        inGrid: closed.filter((r) => r.resolved_level === 0).length,
        withinStreet: closed.filter((r) => r.resolved_level! <= 2).length,
        overdue: rows.filter((r) => (r.closed_at !== null && r.closed_at <= asOf ? r.closed_at : asOf) > r.due_at).length,
        meanHours: durations.reduce((a, b) => a + b, 0) / durations.length / 3_600_000,
        p90Hours: durations[Math.ceil(0.9 * durations.length) - 1]! / 3_600_000,
      };
    };
    for (const [figures, oracle] of [
      [kpis.current, recount(from, to, to)],
      [kpis.previous, recount(from - 30 * MS_PER_DAY, from, to - 30 * MS_PER_DAY)],
    ] as const) {
      expect(oracle.reported).toBeGreaterThan(5_000);
      expect(figures.reported).toBe(oracle.reported);
      expect(figures.closed).toBe(oracle.closed);
      expect(figures.resolutionRate).toBeCloseTo(oracle.closed / oracle.reported, 12);
      expect(figures.inGridRate).toBeCloseTo(oracle.inGrid / oracle.closed, 12);
      expect(figures.withinStreetRate).toBeCloseTo(oracle.withinStreet / oracle.closed, 12);
      expect(figures.overdue).toBe(oracle.overdue);
      expect(figures.meanHandlingHours).toBeCloseTo(oracle.meanHours, 9);
      expect(figures.p90HandlingHours).toBeCloseTo(oracle.p90Hours, 9);
    }
    db.close();
    // Both periods are judged at the same age, so their rates are comparable (and plausible).
    for (const rate of [kpis.current.resolutionRate!, kpis.previous.resolutionRate!]) {
      expect(rate).toBeGreaterThan(0.5);
      expect(rate).toBeLessThanOrEqual(1);
    }
  });

  it('refuses an empty or reversed period', async () => {
    await expectTrpcError(callerAs('viewer').events.kpis({ within: '2101', from: '2026-10-01', to: '2026-09-01' }), 'BAD_REQUEST', /to/);
    await expectTrpcError(callerAs('viewer').events.stats({ within: '2101', from: '2026-10-01', to: 'yesterday', groupBy: 'type' }), 'BAD_REQUEST', /to/);
  });
});
