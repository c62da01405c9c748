// desk.queue through createCaller on a writable copy of the test database (Shenyang demo): counts per
// column against a brute-force count over every visible case, filters, keyset pages without gaps or
// duplicates, masking by role, and refusals outside the caller's jurisdiction.

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import type { Role } from '../../../server/domain/access';
import { DESK_COLUMN_STATUSES, DESK_COLUMNS, type DeskColumn } from '../../../server/domain/desk-columns';
import { isOverdue } from '../../../server/domain/dispute-workflow';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import type { DisputeRecord } from '../../../server/store/dispute-store';
import { principalFor, testContext } from '../../support/context';
import { openWritableTestCopy, type WritableTestCopy } from '../../support/store';

let copy: WritableTestCopy;
let store: SqliteStore;
let now: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction = '21') => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => now }));
const CITY = '2101';

beforeAll(() => {
  copy = openWritableTestCopy('atlas-desk-');
  store = copy.store;
  now = inject('testDemo').nowMs!;
});

afterAll(() => copy.close());

/** Every open case visible in a unit, by the list procedure's store query (the oracle). */
function openCasesIn(code: string): DisputeRecord[] {
  return store.disputes.list({ visibleIn: code, limit: 10_000_000 }).filter((dispute) => dispute.status !== 'closed');
}

function columnOf(dispute: DisputeRecord, column: DeskColumn): boolean {
  if (column === 'overdue') return isOverdue(dispute.dueAt, dispute.closedAt, now);
  return DESK_COLUMN_STATUSES[column].includes(dispute.status);
}

function bruteCounts(open: readonly DisputeRecord[]): Record<DeskColumn, number> {
  return Object.fromEntries(DESK_COLUMNS.map((column) => [column, open.filter((dispute) => columnOf(dispute, column)).length])) as Record<DeskColumn, number>;
}

/** The queue's order: deadline, then id. */
const byUrgency = (a: DisputeRecord, b: DisputeRecord) => a.dueAt - b.dueAt || a.id - b.id;

async function allPages(role: Role, jurisdiction: string, input: Parameters<ReturnType<typeof callerAs>['desk']['queue']>[0]) {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const result = await callerAs(role, jurisdiction).desk.queue({ ...input, cursor });
    ids.push(...result.cases.map((row) => row.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
  }
  throw new Error('no last page');
}

/** Every row of a city's queue, page by page. */
async function allQueueRows(caller: ReturnType<typeof callerAs>) {
  const rows = [];
  let cursor: string | undefined;
  do {
    const page = await caller.desk.queue({ within: CITY, limit: 500, cursor });
    rows.push(...page.cases);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

describe('desk.queue', () => {
  it('counts the columns of a city as a brute-force count over its visible open cases', async () => {
    const open = openCasesIn(CITY);
    expect(open.length).toBeGreaterThan(1000);
    const result = await callerAs('city-officer', CITY).desk.queue({ within: CITY, limit: 10 });
    expect(result.counts).toEqual(bruteCounts(open));
    expect(result.counts.overdue).toBeGreaterThan(0);
    expect(result.cases.map((row) => row.id)).toEqual([...open].sort(byUrgency).slice(0, 10).map((dispute) => dispute.id));
  });

  it('answers the caller\'s own area when asked without a unit (a grid worker\'s: the community of the grid)', async () => {
    const city = callerAs('city-officer', CITY);
    const own = await city.desk.queue({ limit: 10 });
    const asked = await city.desk.queue({ within: CITY, limit: 10 });
    expect(own.within).toBe(CITY);
    expect({ ...own, asOfSeq: 0 }).toEqual({ ...asked, asOfSeq: 0 });
    const grid = openCasesIn(CITY)[0]!.placeCode;
    expect((await callerAs('grid-worker', grid).desk.queue({ limit: 1 })).within).toBe(grid.slice(0, 12));
  });

  it('counts a county, including the cases across a boundary line from it', async () => {
    const county = '210103';
    const open = openCasesIn(county);
    expect(open.some((dispute) => !dispute.placeCode.startsWith(county))).toBe(true);
    expect((await callerAs('county-officer', county).desk.queue({ within: county })).counts).toEqual(bruteCounts(open));
  });

  for (const column of DESK_COLUMNS) {
    it(`pages the ${column} column most urgent first, with no gap and no duplicate`, async () => {
      const expected = openCasesIn(CITY).filter((dispute) => columnOf(dispute, column)).sort(byUrgency).map((dispute) => dispute.id);
      const ids = await allPages('city-officer', CITY, { within: CITY, column, limit: 97 });
      expect(ids).toEqual(expected);
    });
  }

  it('applies type, source, level and grid filters to cases and counts alike', async () => {
    const open = openCasesIn(CITY);
    const sample = open[0]!;
    const filters = [
      { input: { types: [sample.type] }, keep: (d: DisputeRecord) => d.type === sample.type },
      { input: { sources: [sample.source] }, keep: (d: DisputeRecord) => d.source === sample.source },
      { input: { levels: [sample.handlingLevel, 'county' as const] }, keep: (d: DisputeRecord) => d.handlingLevel === sample.handlingLevel || d.handlingLevel === 'county' },
      { input: { grid: sample.placeCode }, keep: (d: DisputeRecord) => d.placeCode === sample.placeCode },
    ];
    for (const { input, keep } of filters) {
      const kept = open.filter(keep);
      expect(kept.length).toBeLessThan(open.length);
      const result = await callerAs('city-officer', CITY).desk.queue({ within: CITY, ...input, limit: 500 });
      expect(result.counts).toEqual(bruteCounts(kept));
      expect(await allPages('city-officer', CITY, { within: CITY, ...input, limit: 200 })).toEqual([...kept].sort(byUrgency).map((dispute) => dispute.id));
    }
  });

  it('answers each case with its deadline, time left, overdue flag and place name', async () => {
    const result = await callerAs('city-officer', CITY).desk.queue({ within: CITY, limit: 200 });
    for (const row of result.cases) {
      const { dispute } = store.disputes.get(row.id)!;
      expect(row).toMatchObject({ deadlineAt: dispute.dueAt, msLeft: dispute.dueAt - now, overdue: now > dispute.dueAt, version: dispute.version, state: dispute.status, level: dispute.handlingLevel });
      expect(row.placeName).toEqual(expect.any(String));
    }
    // Most urgent first: the overdue cases lead.
    const flags = result.cases.map((row) => row.overdue);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    expect(flags[0]).toBe(true);
  });

  it('says which log entry its counts and cases include (asOfSeq): the log\'s last, and a later step is after it', async () => {
    const officer = callerAs('city-officer', CITY);
    const before = await officer.desk.queue({ within: CITY, column: 'new', limit: 1 });
    expect(before.asOfSeq).toBe(store.lastDisputeSeq());
    const [row] = before.cases;
    expect(row).toBeDefined();
    await officer.events.transition({ id: row!.id, action: 'assign', version: row!.version });
    const step = store.disputes.logAfter(before.asOfSeq, 10).find((entry) => entry.disputeId === row!.id);
    expect(step).toMatchObject({ action: 'assign', toStatus: 'assigned' });
    const after = await officer.desk.queue({ within: CITY, column: 'new', limit: 1 });
    expect(after.asOfSeq).toBe(step!.seq);
    expect(after.counts.new).toBe(before.counts.new - 1);
    expect(after.counts.assigned).toBe(before.counts.assigned + 1);
  });

  it('answers each case\'s latest step action (lastAction): escalate once sent up, then what followed', async () => {
    const officer = callerAs('city-officer', CITY);
    const page = await officer.desk.queue({ within: CITY, limit: 200 });
    for (const row of page.cases) expect(row.lastAction).toBe(store.disputes.get(row.id)!.history.at(-1)!.action);
    const assigned = (await officer.desk.queue({ within: CITY, column: 'assigned', levels: ['grid'], limit: 1 })).cases[0]!;
    const escalated = await officer.events.transition({ id: assigned.id, action: 'escalate', version: assigned.version });
    const find = async () => (await allQueueRows(officer)).find((row) => row.id === assigned.id)!;
    expect(await find()).toMatchObject({ lastAction: 'escalate', level: 'community', state: 'assigned' });
    await officer.events.transition({ id: assigned.id, action: 'accept', version: escalated.version });
    expect(await find()).toMatchObject({ lastAction: 'accept', level: 'community' });
  });

  it('masks summaries for a viewer and shows them to an officer; refuses a planner', async () => {
    const grid = store.grids({ withinCode: '210103' })[0]!;
    const reported = await callerAs('county-officer', '210103').events.report({
      lngLat: grid.labelLngLat,
      type: 'neighbour',
      source: 'patrol',
      severity: 'critical',
      summary: '张大山与邻居因漏水争执',
      parties: [{ name: '张大山' }],
    });
    const find = async (role: Role) => (await allPages(role, '210103', { within: '210103', grid: reported.placeCode, limit: 500 })).includes(reported.id);
    expect(await find('viewer')).toBe(true);
    const rowAs = async (role: Role) =>
      (await callerAs(role, '210103').desk.queue({ within: '210103', grid: reported.placeCode, column: 'new', limit: 500 })).cases.find((row) => row.id === reported.id)!;
    expect((await rowAs('county-officer')).summary).toBe('张大山与邻居因漏水争执');
    const masked = (await rowAs('viewer')).summary!;
    expect(masked).not.toContain('张大山');
    expect(masked).toContain('漏水');
    await expect(callerAs('planner', '210103').desk.queue({ within: '210103' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('shares the one overdue rule with the KPIs: their overdue count is isOverdue over the same cases', () => {
    const period = { withinCode: CITY, fromMs: now - 120 * MS_PER_DAY, toMs: now };
    const cases = store.disputes.list({ withinCode: CITY, fromMs: period.fromMs, toMs: period.toMs, limit: 10_000_000 });
    const brute = cases.filter((dispute) => isOverdue(dispute.dueAt, dispute.closedAt !== null && dispute.closedAt <= now ? dispute.closedAt : null, now)).length;
    expect(brute).toBeGreaterThan(0);
    expect(store.disputes.periodFigures(period, now).overdue).toBe(brute);
  });

  it('answers the same from a read-only database without the open-case indexes (whole-table path)', () => {
    const readOnly = new SqliteStore(inject('databasePath'));
    try {
      // The oracle from the same read-only store (the writable copy has had cases reported by other tests).
      const open = readOnly.disputes.list({ visibleIn: '210103', limit: 10_000_000 }).filter((dispute) => dispute.status !== 'closed');
      const { byStatus, overdue } = readOnly.disputes.queueCounts({ visibleIn: '210103' }, now);
      expect(overdue).toBe(open.filter((dispute) => now > dispute.dueAt).length);
      for (const [status, count] of Object.entries(byStatus)) expect(count).toBe(open.filter((dispute) => dispute.status === status).length);
      expect(readOnly.disputes.queue({ visibleIn: '210103', limit: 300 }).map((row) => row.id)).toEqual([...open].sort(byUrgency).slice(0, 300).map((dispute) => dispute.id));
    } finally {
      readOnly.close();
    }
  });

  it('filters by a street boundary line: the cases placed on one side with the other across, as a brute-force filter', async () => {
    const COUNTY = '210103';
    const bySides = (a: string, b: string) => (d: DisputeRecord) => (d.placeCode.startsWith(a) && d.otherSideCode === b) || (d.placeCode.startsWith(b) && d.otherSideCode === a);
    const open = openCasesIn(COUNTY);
    // The street line of the county with the most open cases by it.
    const lines = store.boundaryLines({ withinCode: COUNTY, level: 'street', band: 0 }).filter((line) => line.leftCode && line.rightCode);
    const counted = lines.map((line) => ({ line, cases: open.filter(bySides(line.leftCode!, line.rightCode!)) })).sort((a, b) => b.cases.length - a.cases.length);
    const { line, cases } = counted[0]!;
    expect(cases.length).toBeGreaterThan(0);
    const county = callerAs('county-officer', COUNTY);
    const result = await county.desk.queue({ within: COUNTY, line: line.id, limit: 500 });
    expect(result.cases.map((row) => row.id)).toEqual([...cases].sort(byUrgency).slice(0, 500).map((d) => d.id));
    const { overdue, ...statusCounts } = result.counts;
    expect({ ...statusCounts, overdue }).toEqual(bruteCounts(cases));
    // With another filter too, and a line with nothing by it answers an empty queue.
    const hotline = await county.desk.queue({ within: COUNTY, line: line.id, sources: ['hotline'], limit: 500 });
    expect(hotline.cases.map((row) => row.id)).toEqual(cases.filter((d) => d.source === 'hotline').sort(byUrgency).map((d) => d.id));
    const quiet = counted.at(-1)!;
    if (quiet.cases.length === 0) expect((await county.desk.queue({ within: COUNTY, line: quiet.line.id })).cases).toEqual([]);

    // Errors: no such line, a line with no side in the unit, a county line, an empty id.
    await expect(county.desk.queue({ within: COUNTY, line: 'street:1|2' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const elsewhere = store.boundaryLines({ level: 'street', band: 0 }).find((l) => l.leftCode && l.rightCode && !l.leftCode.startsWith(COUNTY) && !l.rightCode.startsWith(COUNTY))!;
    await expect(county.desk.queue({ within: COUNTY, line: elsewhere.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const countyLine = store.boundaryLines({ withinCode: COUNTY, level: 'county', band: 0 })[0]!;
    await expect(county.desk.queue({ within: COUNTY, line: countyLine.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(county.desk.queue({ within: COUNTY, line: ' ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses a unit outside the jurisdiction and bad input', async () => {
    await expect(callerAs('county-officer', '210103').desk.queue({ within: '210102' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callerAs('city-officer', CITY).desk.queue({ within: '2102' })).rejects.toBeInstanceOf(TRPCError);
    await expect(callerAs('city-officer', CITY).desk.queue({ within: CITY, cursor: 'next' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(callerAs('city-officer', CITY).desk.queue({ within: CITY, grid: '2101' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(callerAs('city-officer', CITY).desk.queue({ within: CITY, column: 'closed' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
