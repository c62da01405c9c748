// desk.reviewSample through createCaller on a writable copy of the test database: the sample against the
// brute-force population and draw, the same on every call, at least one, the default period, the
// refusals; reviewing and reopening a sampled case; and the KPIs counting a reopened case as unresolved
// until it is closed again (hand-computed from the figures before).

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import type { Role } from '../../../server/domain/access';
import { MS_PER_DAY } from '../../../server/domain/china-time';
import { reviewDraw } from '../../../server/analysis/disputes/review-sample';
import { errorOf } from '../../support/trpc-errors';
import { principalFor, testContext } from '../../support/context';
import { openWritableTestCopy, type WritableTestCopy } from '../../support/store';

let copy: WritableTestCopy;
let store: SqliteStore;
let now: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role, jurisdiction: string) => createCaller(testContext(store, { principal: principalFor(role, jurisdiction), now: () => now }));
const COUNTY = '210103';
const county = () => callerAs('county-officer', COUNTY);

beforeAll(() => {
  copy = openWritableTestCopy('atlas-review-');
  store = copy.store;
  now = inject('testDemo').nowMs!;
});

afterAll(() => copy.close());

/** The cases placed in `within` that first reached feedback (or later) in [from, to), by brute force. */
function population(within: string, from: number, to: number): number[] {
  return store.disputes
    .list({ withinCode: within, limit: 10_000_000 })
    .filter((d) => {
      const reached = d.feedbackAt ?? d.reviewedAt ?? d.closedAt;
      return reached !== null && reached >= from && reached < to;
    })
    .map((d) => d.id)
    .sort((a, b) => a - b);
}

describe('desk.reviewSample', () => {
  it("draws the period's cases by their ids, the same on every call", async () => {
    const [from, to] = [now - 60 * MS_PER_DAY, now];
    const pool = population(COUNTY, from, to);
    expect(pool.length).toBeGreaterThan(100);
    const first = await county().desk.reviewSample({ within: COUNTY, from, to });
    expect(first).toMatchObject({ within: COUNTY, period: { from, to }, rate: 0.1, population: pool.length });
    expect(first.cases.map((c) => c.id)).toEqual(pool.filter((id) => reviewDraw(id) < 0.1));
    expect(first.cases.every((c) => ['feedback', 'reviewed', 'closed', 'assigned', 'accepted', 'handled'].includes(c.state))).toBe(true);
    const again = await county().desk.reviewSample({ within: COUNTY, from, to });
    expect(again.cases.map((c) => c.id)).toEqual(first.cases.map((c) => c.id));
    // Each place by the name the queue gives it: its grid's, else its unit's.
    const named = (code: string) => store.gridRecords({ withinCode: code }).find((grid) => grid.code === code)?.name ?? store.adminUnit(code)?.name ?? null;
    for (const c of first.cases) expect(c.placeName, c.placeCode).toBe(named(c.placeCode));
    expect(first.cases.every((c) => c.placeName !== null)).toBe(true);
    // A street's sample is the county's cases of that street.
    const street = first.cases[0]!.placeCode.slice(0, 9);
    const streetSample = await callerAs('street-officer', street).desk.reviewSample({ within: street, from, to });
    expect(streetSample.cases.map((c) => c.id)).toEqual(first.cases.filter((c) => c.placeCode.startsWith(street)).map((c) => c.id));
  });

  it('keeps at least one case, covers the 30 days before now by default, and none of an empty period', async () => {
    const tiny = await county().desk.reviewSample({ within: COUNTY, from: now - 60 * MS_PER_DAY, to: now, rate: 1e-9 });
    expect(tiny.cases).toHaveLength(1);
    const byDefault = await county().desk.reviewSample({ within: COUNTY });
    expect(byDefault.period).toEqual({ from: now - 30 * MS_PER_DAY, to: now });
    expect(byDefault.population).toBe(population(COUNTY, now - 30 * MS_PER_DAY, now).length);
    const future = await county().desk.reviewSample({ within: COUNTY, from: now + MS_PER_DAY, to: now + 2 * MS_PER_DAY });
    expect(future).toMatchObject({ population: 0, cases: [] });
  });

  it('refuses roles that do not review, places outside the jurisdiction and bad input', async () => {
    for (const [role, jurisdiction] of [['grid-worker', '210103005003'], ['viewer', COUNTY], ['planner', COUNTY], ['kiosk', COUNTY]] as const) {
      expect((await errorOf(callerAs(role, jurisdiction).desk.reviewSample({ within: jurisdiction }))).code).toBe('FORBIDDEN');
    }
    expect((await errorOf(callerAs('street-officer', '210103005').desk.reviewSample({ within: '210103019' }))).code).toBe('FORBIDDEN');
    for (const input of [{ rate: 0 }, { rate: 1.5 }, { from: now, to: now - MS_PER_DAY }, { from: now - 400 * MS_PER_DAY, to: now }, { to: now - 40 * MS_PER_DAY, from: now - 10 * MS_PER_DAY }]) {
      expect((await errorOf(county().desk.reviewSample({ within: COUNTY, ...input }))).code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
    // Only `to` given, before the default `from` would be: the period is the 30 days before it.
    const early = await county().desk.reviewSample({ within: COUNTY, to: now - 40 * MS_PER_DAY });
    expect(early.period).toEqual({ from: now - 70 * MS_PER_DAY, to: now - 40 * MS_PER_DAY });
  });

  it('offers review on a sampled case at feedback and reopen on a closed one; both work', async () => {
    const sample = await county().desk.reviewSample({ within: COUNTY, from: now - 120 * MS_PER_DAY, to: now, rate: 0.5 });
    const atFeedback = sample.cases.find((c) => c.state === 'feedback')!;
    expect(atFeedback.legalActions).toEqual(['review']);
    const reviewed = await county().events.transition({ id: atFeedback.id, action: 'review', version: atFeedback.version, note: '回访当事人，协议履行' });
    expect(reviewed.status).toBe('reviewed');
    expect(reviewed.step).toMatchObject({ action: 'review', actorRole: 'reviewer' });
    const closed = sample.cases.find((c) => c.state === 'closed')!;
    expect(closed.legalActions).toEqual(['reopen']);
    expect((await county().events.transition({ id: closed.id, action: 'reopen', version: closed.version })).status).toBe('assigned');
  });
});

describe('KPIs of a reopened case', () => {
  it('count it unresolved (not closed, not in the grid) until it is closed again', async () => {
    // A case closed in the grid, reported in a 30-day period of the county that ended 30 days ago (so
    // the KPIs judge it as of now: the period's end plus its length).
    const period = { within: COUNTY, from: now - 60 * MS_PER_DAY, to: now - 30 * MS_PER_DAY };
    const dispute = store.disputes
      .list({ withinCode: COUNTY, fromMs: period.from, toMs: period.to, statuses: ['closed'], limit: 10_000 })
      .find((d) => d.resolvedLevel === 'grid' && d.closedAt! < now)!;
    const figures = () => store.disputes.periodFigures({ withinCode: COUNTY, fromMs: period.from, toMs: period.to }, now);
    const before = figures();
    const kpisBefore = (await county().events.kpis(period)).current;
    expect(kpisBefore).toMatchObject({ closed: before.closed, inGridRate: before.resolvedInGrid / before.closed, withinStreetRate: before.resolvedWithinStreet / before.closed });

    let version = (await county().events.transition({ id: dispute.id, action: 'reopen', version: dispute.version, note: '抽查发现未履行' })).version;
    const reopened = (await county().events.kpis(period)).current;
    expect(reopened).toMatchObject({
      reported: before.reported,
      closed: before.closed - 1,
      resolutionRate: (before.closed - 1) / before.reported,
      inGridRate: (before.resolvedInGrid - 1) / (before.closed - 1),
      withinStreetRate: (before.resolvedWithinStreet - 1) / (before.closed - 1),
    });
    expect(figures().handlingMs.length).toBe(before.handlingMs.length - 1);

    // Handled again at the grid and closed: resolved in the grid again (closed now, as of now).
    for (const action of ['accept', 'handle', 'feedback', 'review'] as const) version = (await county().events.transition({ id: dispute.id, action, version })).version;
    await county().events.transition({ id: dispute.id, action: 'close', version, outcome: dispute.outcome! });
    const again = (await county().events.kpis(period)).current;
    expect(again).toMatchObject({ closed: before.closed, inGridRate: before.resolvedInGrid / before.closed });
  });
});
