// plan.evaluateUnits (the job scenario.compare runs for each side) and plan.evaluate's per-resident
// answer on the Shenyang test database: per-unit covered residents before and after a scenario's edits,
// consistent with plan.evaluate and with each other, and the session left as it was.

import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory } from '../../../server/trpc';
import { EMPTY_SCENARIO_EDITS, type ScenarioEdits } from '../../../server/domain/scenario';
import { openTestStore } from '../../support/store';
import { preparedViewsFor, testContext } from '../../support/context';

const store = openTestStore();
const context = testContext(store);
const caller = createCallerFactory(appRouter)(context);

afterAll(() => store.close());

// 沈河区 (Shenhe, central Shenyang), inside the demonstration walking network.
const SHENHE = '210103';
const request = { kind: 'health_station', maxMinutes: 15, within: SHENHE } as const;

const units = (edits: Partial<ScenarioEdits>, groupBy: 'county' | 'street' | 'community' | 'grid' = 'street') =>
  context.jobs.value('plan.evaluateUnits', { ...request, edits: { ...EMPTY_SCENARIO_EDITS, ...edits }, groupBy });

/** The error a job call fails with (a RequestError: code and message, as the router passes them on). */
async function jobError(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the job to fail');
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('plan.evaluateUnits', () => {
  it('without edits: every street of 沈河区, covered residents unchanged and adding up to the total', async () => {
    const result = await units({});
    const streets = store.adminChildren(SHENHE);
    expect(result.units.map((unit) => unit.code)).toEqual(streets.map((street) => street.code));
    expect(result.units.map((unit) => unit.name)).toEqual(streets.map((street) => street.name));
    expect(result.coveredAfter).toBe(result.coveredBefore);
    expect(result.newlyCovered).toBe(0);
    expect(result.newlyUncovered).toBe(0);
    for (const unit of result.units) expect(unit.coveredAfter).toBe(unit.coveredBefore);
    expect(sum(result.units.map((unit) => unit.population))).toBeCloseTo(result.population, 6);
    expect(sum(result.units.map((unit) => unit.coveredBefore))).toBeCloseTo(result.coveredBefore, 6);
    const evaluation = await caller.plan.evaluate(request);
    expect(result.coveredBefore).toBe(evaluation.before.coveredPopulation);
  });

  it('closing one station and adding another: per-unit changes add up to newlyCovered − newlyUncovered, as plan.evaluate says', async () => {
    const facilities = await caller.geo.facilities({ kinds: ['health_station'], within: SHENHE });
    const closed = facilities.features[0]!.properties.id;
    const far = facilities.features.at(-1)!.geometry.coordinates as [number, number];
    // A new station 600 m east of the last one (inside the district's network).
    const added: [number, number] = [far[0] + 0.007, far[1]];
    const edits = { removeFacilities: [closed], addFacilities: [{ lngLat: added, source: 'manual' as const }] };
    const [byStreet, byGrid, evaluation] = await Promise.all([
      units(edits, 'street'),
      units(edits, 'grid'),
      caller.plan.evaluate({ ...request, remove: [closed], add: [added] }),
    ]);
    expect(evaluation.newlyUncovered).toBeGreaterThan(0);
    expect(evaluation.newlyCovered - evaluation.newlyUncovered).toBeCloseTo(evaluation.delta.coveredPopulation, 6);
    for (const result of [byStreet, byGrid]) {
      expect(result.coveredBefore).toBeCloseTo(evaluation.before.coveredPopulation, 6);
      expect(result.coveredAfter).toBeCloseTo(evaluation.after.coveredPopulation, 6);
      expect(result.newlyCovered).toBeCloseTo(evaluation.newlyCovered, 6);
      expect(result.newlyUncovered).toBeCloseTo(evaluation.newlyUncovered, 6);
      const delta = sum(result.units.map((unit) => unit.coveredAfter - unit.coveredBefore));
      expect(delta).toBeCloseTo(result.newlyCovered - result.newlyUncovered, 6);
      for (const unit of result.units) {
        expect(unit.coveredAfter).toBeGreaterThanOrEqual(-1e-9);
        expect(unit.coveredAfter).toBeLessThanOrEqual(unit.population + 1e-9);
      }
    }
    // plan.evaluate's changed grids are exactly the grids whose covered residents changed.
    const changed = byGrid.units.filter((unit) => Math.abs(unit.coveredAfter - unit.coveredBefore) > 1e-9);
    expect(evaluation.changedGrids.map((grid) => grid.code).sort()).toEqual(changed.map((unit) => unit.code).sort());
    for (const grid of evaluation.changedGrids) {
      const unit = changed.find((row) => row.code === grid.code)!;
      expect(grid).toMatchObject({ name: unit.name, population: unit.population });
      expect(grid.coveredBefore).toBeCloseTo(unit.coveredBefore, 6);
      expect(grid.coveredAfter).toBeCloseTo(unit.coveredAfter, 6);
    }
    // The session is back to the existing facilities.
    const again = await units({}, 'street');
    expect(again.coveredAfter).toBe(byStreet.coveredBefore);
  });

  it('network edits: cuts round a station per street, as plan.evaluate counts them', async () => {
    const { graph, snapper } = preparedViewsFor(store).network!;
    const station = store.facilities({ kinds: ['health_station'], withinCode: SHENHE })[0]!;
    const e = snapper.snapLngLat(Float64Array.from(station.lngLat), 300).edge[0]!;
    const removeLinks: number[] = [];
    for (let k = 0; k < graph.edgeCount; k++) {
      if ([graph.edgeFrom[e], graph.edgeTo[e]].some((node) => node === graph.edgeFrom[k] || node === graph.edgeTo[k])) removeLinks.push(k + 1);
    }
    const [byStreet, evaluation] = await Promise.all([units({ removeLinks }), caller.plan.evaluate({ ...request, removeLinks })]);
    expect(evaluation.newlyUncovered).toBeGreaterThan(0);
    expect(byStreet.coveredAfter).toBeCloseTo(evaluation.after.coveredPopulation, 6);
    expect(byStreet.newlyUncovered).toBeCloseTo(evaluation.newlyUncovered, 6);
    const delta = sum(byStreet.units.map((unit) => unit.coveredAfter - unit.coveredBefore));
    expect(delta).toBeCloseTo(-byStreet.newlyUncovered, 6);
    const refused = await jobError(units({ removeLinks: [0.5] }));
    expect(refused.message).toMatch(/^edits\.removeLinks\.0: /);
  });

  it('groups by county (within itself) and by community', async () => {
    const county = await units({}, 'county');
    expect(county.units).toHaveLength(1);
    expect(county.units[0]).toMatchObject({ code: SHENHE, coveredBefore: county.coveredBefore });
    const communities = await units({}, 'community');
    expect(communities.units.length).toBeGreaterThan(county.units.length);
    expect(communities.units.every((unit) => unit.code.length === 12 && unit.code.startsWith(SHENHE))).toBe(true);
  });

  it('refuses unknown facilities, a level coarser than within, and a failing request leaves the session unchanged', async () => {
    const before = await caller.plan.evaluate(request);
    const unknown = await jobError(units({ addFacilities: [{ lngLat: [123.45, 41.8], source: 'manual' }], removeFacilities: [999_999_999] }));
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.message).toMatch(/^edits\.removeFacilities\.0: facility 999999999/);
    const coarse = await jobError(context.jobs.value('plan.evaluateUnits', { ...request, within: '210103001', edits: EMPTY_SCENARIO_EDITS, groupBy: 'county' }));
    expect(coarse.code).toBe('BAD_REQUEST');
    expect(coarse.message).toMatch(/^groupBy: /);
    const after = await caller.plan.evaluate(request);
    expect(after).toMatchObject({ before: before.before, after: before.after });
  });
});
