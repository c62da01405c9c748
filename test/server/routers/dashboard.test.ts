// dashboard.* through createCaller on the test database: the wall's governance figures against an
// oracle built from the store's own records (grids, facilities, communities), the latest cases newest
// first with parties masked for every role, and clear errors for unknown units and bad limits.

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { HEALTH_STANDARD_TARGET, WORKSTATION_BASELINE } from '../../../server/domain/targets';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { ROLES, type Role } from '../../../server/domain/access';
import { principalFor, testContext } from '../../support/context';

let store: SqliteStore;
let clock: number;
const createCaller = createCallerFactory(appRouter);
const callerAs = (role: Role) => createCaller(testContext(store, { principal: principalFor(role), now: () => clock }));

beforeAll(() => {
  store = new SqliteStore(inject('databasePath'));
  clock = inject('testDemo').nowMs! + 3_600_000;
});

afterAll(() => store.close());

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], pattern: RegExp): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof TRPCError && error.code === code && pattern.test(error.message));
}

/** What the wall should show for a unit, counted record by record. */
function oracle(code: string) {
  const grids = store.grids({ withinCode: code });
  const facilities = store.facilities({ withinCode: code, kinds: ['governance_workstation', 'health_center', 'health_station'] });
  const communities: string[] = [];
  const walk = (unit: string): void => {
    for (const child of store.adminChildren(unit)) {
      if (child.level === 'community') communities.push(child.code);
      else walk(child.code);
    }
  };
  if (store.adminUnit(code)!.level === 'community') communities.push(code);
  else walk(code);
  const withWorkstation = new Set(facilities.filter((f) => f.kind === 'governance_workstation').map((f) => f.communityCode));
  const health = facilities.filter((f) => f.kind === 'health_center' || f.kind === 'health_station');
  return {
    grids: grids.length,
    gridWorkers: grids.reduce((sum, grid) => sum + grid.fullTimeWorkers + grid.partTimeWorkers, 0),
    communities: communities.length,
    communitiesWithWorkstation: communities.filter((c) => withWorkstation.has(c)).length,
    healthFacilities: health.length,
    standardised: health.filter((f) => f.standardised).length,
  };
}

describe('dashboard.summary', () => {
  it.each(['2101', '210103', 'a street of 210103', 'a community of it'])('matches the records of %s', async (which) => {
    const street = store.adminChildren('210103')[0]!.code;
    const code = which === 'a street of 210103' ? street : which === 'a community of it' ? store.adminChildren(street)[0]!.code : which;
    const summary = await callerAs('viewer').dashboard.summary({ within: code });
    const expected = oracle(code);
    expect(summary.code).toBe(code);
    expect(summary.grids).toBe(expected.grids);
    expect(summary.grids).toBeGreaterThan(0);
    expect(summary.gridWorkers).toBe(expected.gridWorkers);
    expect(summary.communities).toBe(expected.communities);
    expect(summary.communitiesWithWorkstation).toBe(expected.communitiesWithWorkstation);
    expect(summary.workstationRate).toBeCloseTo(expected.communitiesWithWorkstation / expected.communities, 12);
    expect(summary.healthCentres + summary.healthStations).toBe(expected.healthFacilities);
    if (expected.healthFacilities > 0) expect(summary.healthStandardisedRate).toBeCloseTo(expected.standardised / expected.healthFacilities, 12);
    expect(summary.workstationBaseline).toBe(WORKSTATION_BASELINE);
    expect(summary.healthStandardTarget).toBe(HEALTH_STANDARD_TARGET);
  });

  it('adds up: a city\'s grids are the sum of its counties\'', async () => {
    const caller = callerAs('viewer');
    const city = await caller.dashboard.summary({ within: '2101' });
    const counties = store.adminChildren('2101');
    let grids = 0;
    for (const county of counties) grids += (await caller.dashboard.summary({ within: county.code })).grids;
    expect(grids).toBe(city.grids);
  });

  it('refuses unknown and malformed codes clearly', async () => {
    await expectTrpcError(callerAs('viewer').dashboard.summary({ within: '2199' }), 'NOT_FOUND', /no admin unit has code 2199/);
    await expectTrpcError(callerAs('viewer').dashboard.summary({ within: 'abc' } as never), 'BAD_REQUEST', /within/);
  });
});

describe('dashboard.latest', () => {
  it('lists the newest cases of a unit first, with places named and parties masked for every role', async () => {
    for (const role of ROLES) {
      const items = await callerAs(role).dashboard.latest({ within: '210103', limit: 20 });
      expect(items.length).toBe(20);
      for (let i = 1; i < items.length; i++) expect(items[i - 1]!.reportedAt).toBeGreaterThanOrEqual(items[i]!.reportedAt);
      for (const item of items) {
        expect(item.placeCode.startsWith('210103')).toBe(true);
        expect(item.placeName.startsWith('沈河区')).toBe(true);
        expect(item.reportedAt).toBeLessThanOrEqual(clock);
        expect(item.typeLabel).toMatch(/[\u4e00-\u9fff]/);
        for (const party of item.parties) expect(party.name).toMatch(/^\S\*\*$/);
      }
    }
    // The same cases as the workflow list (which also shows cases across the district's boundary lines), which an officer sees unmasked.
    const list = await callerAs('province-officer').events.list({ within: '210103', to: clock + 1, limit: 50 });
    const latest = await callerAs('province-officer').dashboard.latest({ within: '210103', limit: 5 });
    expect(latest.map((item) => item.id)).toEqual(list.items.filter((item) => item.placeCode.startsWith('210103')).slice(0, 5).map((item) => item.id));
  });

  it('defaults to 12 cases and refuses limits outside 1–50', async () => {
    expect(await callerAs('viewer').dashboard.latest({ within: '2101' })).toHaveLength(12);
    await expectTrpcError(callerAs('viewer').dashboard.latest({ within: '2101', limit: 51 }), 'BAD_REQUEST', /limit/);
    await expectTrpcError(callerAs('viewer').dashboard.latest({ within: '2101', limit: 0 }), 'BAD_REQUEST', /limit/);
    await expectTrpcError(callerAs('viewer').dashboard.latest({ within: '2199' }), 'NOT_FOUND', /2199/);
  });
});

describe('events.stats by unit level (the wall\'s map and ranking)', () => {
  it('groups a city\'s cases by street as well as by county, with the same total', async () => {
    const caller = callerAs('viewer');
    const period = { within: '2101', from: clock - 30 * 86_400_000, to: clock };
    const byCounty = await caller.events.stats({ ...period, groupBy: 'unit' });
    const byStreet = await caller.events.stats({ ...period, groupBy: 'unit', unitLevel: 'street' });
    const total = (rows: { count: number }[]) => rows.reduce((sum, row) => sum + row.count, 0);
    expect(byStreet.rows.every((row) => row.key.length === 9 && row.key.startsWith('2101'))).toBe(true);
    expect(byCounty.rows.every((row) => row.key.length === 6)).toBe(true);
    expect(total(byStreet.rows)).toBe(total(byCounty.rows));
    expect(total(byCounty.rows)).toBeGreaterThan(0);
  });

  it('refuses a level that is not inside the unit', async () => {
    await expectTrpcError(
      callerAs('viewer').events.stats({ within: '2101', from: clock - 86_400_000, to: clock, groupBy: 'unit', unitLevel: 'city' }),
      'BAD_REQUEST',
      /unitLevel: city units are not inside 2101/,
    );
  });
});
