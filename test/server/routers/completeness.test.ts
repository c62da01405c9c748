// coverage.completeness through createCaller on the test database: per community and per grid, each
// kind's covered share equals coverage.rates of that kind at its GB 50180-2018 distance (or at one
// limit for all), a kind is within reach from half the residents, the complete residents never exceed
// any kind's covered ones, a first answer (searched round its unit only) equals one from the searches
// coverage.rates keeps, and bad requests are refused naming the field.

import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inlineRunnerFor, principalFor, testContext } from '../../support/context';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { SqliteStore } from '../../../server/store/sqlite-store';
import { LIFE_CIRCLE_KINDS, WITHIN_REACH_SHARE, lifeCircleMeters } from '../../../server/domain/life-circle';

let store: SqliteStore;
const createCaller = createCallerFactory(appRouter);
let caller: ReturnType<typeof createCaller>;
/** 沈河区滨河街道. */
const BINHE = '210103005';

beforeAll(() => {
  store = new SqliteStore(inject('databasePath'));
  caller = createCaller(testContext(store, { principal: principalFor('planner', '2101'), now: () => inject('testDemo').nowMs! }));
});

afterAll(() => store.close());

async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], pattern: RegExp): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof TRPCError && error.code === code && pattern.test(error.message));
}

describe('coverage.completeness', () => {
  it('counts, per community, the life-circle kinds within their GB 50180-2018 distances, equal to coverage.rates kind by kind', async () => {
    const rows = await caller.coverage.completeness({ within: BINHE, groupBy: 'community' });
    expect(rows.map((row) => row.code).sort()).toEqual(store.adminChildren(BINHE).map((unit) => unit.code).sort());
    const kinds = LIFE_CIRCLE_KINDS.map((entry) => entry.kind);
    const rates = new Map<string, Map<string, { population: number; coveredPopulation: number }>>();
    for (const kind of kinds) {
      const byCode = new Map((await caller.coverage.rates({ kind, maxMeters: lifeCircleMeters(kind)!, within: BINHE, groupBy: 'community' })).map((row) => [row.code, row]));
      rates.set(kind, byCode);
    }
    for (const row of rows) {
      expect(row.kindsTotal).toBe(kinds.length);
      const missing = [];
      for (const kind of kinds) {
        const rate = rates.get(kind)!.get(row.code)!;
        expect(row.population).toBe(rate.population);
        const share = rate.population > 0 ? rate.coveredPopulation / rate.population : null;
        expect(row.shares[kind]).toBe(share);
        if (share === null || share < WITHIN_REACH_SHARE) missing.push(kind);
        expect(row.completeResidents).toBeLessThanOrEqual(rate.coveredPopulation);
      }
      expect(row.missing).toEqual(missing);
      expect(row.kindsWithin).toBe(kinds.length - missing.length);
    }
    // The demonstration's street is not complete everywhere, nor empty everywhere.
    expect(rows.some((row) => row.missing.length > 0)).toBe(true);
    expect(rows.some((row) => row.kindsWithin > 0)).toBe(true);
  });

  it('takes chosen kinds and one limit for all of them, down to the grid', async () => {
    const community = store.adminChildren(BINHE)[0]!.code;
    const kinds = ['health_station', 'convenience_store'] as const;
    const rows = await caller.coverage.completeness({ within: community, groupBy: 'grid', kinds: [...kinds], maxMinutes: 10 });
    expect(rows.map((row) => row.code).sort()).toEqual(store.gridRecords({ withinCode: community }).map((grid) => grid.code).sort());
    for (const kind of kinds) {
      const rates = await caller.coverage.rates({ kind, maxMinutes: 10, within: community, groupBy: 'grid' });
      for (const rate of rates) {
        const row = rows.find((r) => r.code === rate.code)!;
        expect(row.shares[kind]).toBe(rate.population > 0 ? rate.coveredPopulation / rate.population : null);
      }
    }
    for (const row of rows) expect(row.kindsTotal).toBe(2);
  });

  it('answers a first request, searched round its unit only, as after coverage.rates kept each kind\'s search of the whole area', async () => {
    const county = BINHE.slice(0, 6);
    const kinds = LIFE_CIRCLE_KINDS.map((entry) => entry.kind);
    for (const limit of [{}, { maxMeters: 1800 }]) {
      for (const groupBy of ['community', 'grid'] as const) {
        inlineRunnerFor(store).clearCache();
        const first = await caller.coverage.completeness({ within: county, groupBy, ...limit });
        for (const kind of kinds) {
          await caller.coverage.rates({ kind, maxMeters: 'maxMeters' in limit ? limit.maxMeters : lifeCircleMeters(kind)!, within: '2101', groupBy: 'county' });
        }
        const afterRates = await caller.coverage.completeness({ within: county, groupBy, ...limit });
        expect(afterRates).toEqual(first);
        expect(first.some((row) => row.kindsWithin > 0 && row.missing.length > 0)).toBe(true);
      }
    }
  });

  it('refuses a kind without a GB 50180 distance unless a limit is given, and malformed limits', async () => {
    await expectTrpcError(caller.coverage.completeness({ within: BINHE, groupBy: 'community', kinds: ['police_post'] }), 'BAD_REQUEST', /police_post.*maxMinutes/);
    await expect(caller.coverage.completeness({ within: BINHE, groupBy: 'community', kinds: ['police_post'], maxMeters: 800 })).resolves.toHaveLength(
      store.adminChildren(BINHE).length,
    );
    await expectTrpcError(caller.coverage.completeness({ within: BINHE, groupBy: 'community', maxMinutes: 10, maxMeters: 500 }), 'BAD_REQUEST', /maxMinutes/);
    await expectTrpcError(caller.coverage.completeness({ within: BINHE, groupBy: 'community', speedKmh: 3 }), 'BAD_REQUEST', /speedKmh/);
    await expectTrpcError(caller.coverage.completeness({ within: BINHE, groupBy: 'street' as 'grid' }), 'BAD_REQUEST', /groupBy/);
    await expectTrpcError(caller.coverage.completeness({ within: BINHE, groupBy: 'grid', kinds: [] }), 'BAD_REQUEST', /kinds/);
  });
});
