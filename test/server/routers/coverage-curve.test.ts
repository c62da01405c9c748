// coverage.curve through createCaller on the test database (Shenyang, seed 1): every point of the curve
// equals coverage.rates at that limit (standard and elderly walkers, one kind and several), the curve
// never falls as minutes rise (a property over random limits), and the errors bad input gets.

import fc from 'fast-check';
import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { principalFor, testContext } from '../../support/context';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';

const store = openTestStore();
const createCaller = createCallerFactory(appRouter);
const caller = createCaller(testContext(store));
afterAll(() => store.close());

/** 沈河区 (Shenhe district, Shenyang). */
const SHENHE = '210103';

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await errorOf(call);
  return { code: error.code, message: error.cause instanceof ZodError ? describeZodError(error.cause) : error.message };
}

/** coverage.rates' totals for the whole of `within` at one limit. */
async function ratesTotal(kind: Parameters<typeof caller.coverage.rates>[0]['kind'], within: string, maxMinutes: number, speedKmh?: number) {
  const rows = await caller.coverage.rates({ kind, within, maxMinutes, groupBy: 'community', ...(speedKmh ? { speedKmh } : {}) });
  return {
    population: rows.reduce((sum, row) => sum + row.population, 0),
    coveredPopulation: rows.reduce((sum, row) => sum + row.coveredPopulation, 0),
  };
}

describe('coverage.curve', () => {
  it('answers 5 … 30 minutes by default, each point equal to coverage.rates at its limit', async () => {
    const curve = await caller.coverage.curve({ within: SHENHE, kind: 'health_station' });
    expect(curve.map((point) => point.minutes)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(curve[0]!.population).toBeGreaterThan(100_000);
    for (const point of curve) {
      const rates = await ratesTotal('health_station', SHENHE, point.minutes);
      expect(point.population).toBe(rates.population);
      expect(point.coveredPopulation).toBe(rates.coveredPopulation);
      expect(point.coverageRate).toBeCloseTo(rates.coveredPopulation / rates.population, 12);
      expect(point.maxMeters).toBeCloseTo((point.minutes * 4000) / 60, 9);
    }
    // The walk from 5 to 30 minutes reaches more residents: the curve rises somewhere and never falls.
    for (let k = 1; k < curve.length; k++) expect(curve[k]!.coveredPopulation).toBeGreaterThanOrEqual(curve[k - 1]!.coveredPopulation);
    expect(curve.at(-1)!.coveredPopulation).toBeGreaterThan(curve[0]!.coveredPopulation);
  });

  it('for elderly walkers (3 km/h) equals coverage.rates at that speed and lies on or below the standard curve', async () => {
    const minutes = [5, 10, 15];
    const elderly = await caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes, walker: 'elderly' });
    const standard = await caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes });
    for (const [k, point] of elderly.entries()) {
      expect(point.maxMeters).toBeCloseTo((minutes[k]! * 3000) / 60, 9);
      expect(point.coveredPopulation).toBe((await ratesTotal('health_station', SHENHE, minutes[k]!, 3)).coveredPopulation);
      expect(point.coveredPopulation).toBeLessThanOrEqual(standard[k]!.coveredPopulation);
    }
  });

  it('counts several kinds as coverage.rates does (covered by any of them)', async () => {
    const kind = ['health_station', 'health_center'] as const;
    const curve = await caller.coverage.curve({ within: SHENHE, kind: [...kind], minutes: [10, 15] });
    for (const point of curve) expect(point.coveredPopulation).toBe((await ratesTotal([...kind], SHENHE, point.minutes)).coveredPopulation);
    const stationsOnly = await caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes: [10, 15] });
    for (const [k, point] of curve.entries()) expect(point.coveredPopulation).toBeGreaterThanOrEqual(stationsOnly[k]!.coveredPopulation);
  });

  it('never falls as minutes rise, whatever limits are asked in whatever order (answered sorted, each once)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }), async (minutes) => {
        const curve = await caller.coverage.curve({ within: SHENHE, kind: 'convenience_store', minutes });
        expect(curve.map((point) => point.minutes)).toEqual([...new Set(minutes)].sort((x, y) => x - y));
        for (const [k, point] of curve.entries()) {
          expect(point.coverageRate).toBeGreaterThanOrEqual(0);
          expect(point.coverageRate).toBeLessThanOrEqual(1);
          if (k > 0) expect(point.coveredPopulation).toBeGreaterThanOrEqual(curve[k - 1]!.coveredPopulation);
        }
      }),
      { numRuns: 25, seed: 16 },
    );
  });

  it('refuses limits outside 1 … 60 minutes, an unknown walker and an unknown unit, naming the field', async () => {
    expect(await refusal(caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes: [0.5] }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^minutes\.0: /) });
    expect(await refusal(caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes: [15, 61] }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^minutes\.1: /) });
    expect(await refusal(caller.coverage.curve({ within: SHENHE, kind: 'health_station', minutes: [] }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^minutes: /) });
    expect(
      await refusal(caller.coverage.curve({ within: SHENHE, kind: 'health_station', walker: 'runner' as 'elderly' })),
    ).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^walker: /) });
    expect(await refusal(caller.coverage.curve({ within: '210199', kind: 'health_station' }))).toEqual({ code: 'NOT_FOUND', message: 'within: no admin unit has code 210199' });
  });

  it("refuses another area than the caller's jurisdiction, and answers inside it", async () => {
    const officer = createCaller(testContext(store, { principal: principalFor('street-officer', '210103005') }));
    expect(await refusal(officer.coverage.curve({ within: SHENHE, kind: 'health_station' }))).toMatchObject({ code: 'FORBIDDEN' });
    const own = await officer.coverage.curve({ within: '210103005', kind: 'health_station', minutes: [15] });
    expect(own[0]!.coveredPopulation).toBe((await ratesTotal('health_station', '210103005', 15)).coveredPopulation);
  });
});
