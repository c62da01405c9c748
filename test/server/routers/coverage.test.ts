// coverage.* through createCaller on the test database (Shenyang's generated layers, seed 1): rates for
// the province by county, rates that never fall as minutes rise, answers from a kind's kept search equal
// to a fresh search's, GB 50180 and elderly presets, service
// areas per facility and dissolved, gaps that add up with the rates, workstation coverage, and the
// errors bad input gets.

import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { computeDemandCoverage } from '../../../server/analysis/coverage/demand-coverage';
import { NetworkCostWorkspace } from '../../../server/analysis/network/network-costs';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { insideMultiPolygon } from '../analysis/coverage/coverage-helpers';
import { preparedViewsFor, testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));
afterAll(() => store.close());


/** The message a call is refused with, zod issues as "field: message". */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await errorOf(call);
  return { code: error.code, message: error.cause instanceof ZodError ? describeZodError(error.cause) : error.message };
}

/** A street of Shenhe district (沈河区) with health stations, chosen from the data. */
function streetWithHealthStations(): string {
  const stations = store.facilities({ kinds: ['health_station'], withinCode: '210103' });
  const counts = new Map<string, number>();
  for (const station of stations) counts.set(station.communityCode.slice(0, 9), (counts.get(station.communityCode.slice(0, 9)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

describe('coverage.rates', () => {
  it('answers for the province by county: Shenyang\'s 13 counties have residents and rates in [0, 1]', async () => {
    const rows = await caller.coverage.rates({ kind: 'health_station', maxMinutes: 15, within: '21', groupBy: 'county' });
    expect(rows).toHaveLength(100);
    expect(rows.map((row) => row.code)).toEqual([...rows.map((row) => row.code)].sort());
    const shenyang = rows.filter((row) => row.code.startsWith('2101'));
    expect(shenyang).toHaveLength(13);
    for (const row of shenyang) {
      expect(row.population).toBeGreaterThan(0);
      expect(row.rate).toBeGreaterThanOrEqual(0);
      expect(row.rate).toBeLessThanOrEqual(1);
      expect(row.coveredPopulation).toBeLessThanOrEqual(row.population);
      expect(row.rate).toBeCloseTo(row.coveredPopulation / row.population, 12);
      expect(['network', 'mixed', 'straight-line']).toContain(row.method);
    }
    // Urban districts are judged on the network; the demonstration data has demand points in Shenyang only.
    expect(rows.find((row) => row.code === '210103')).toMatchObject({ name: '沈河区', level: 'county', method: 'network' });
    for (const row of rows.filter((r) => !r.code.startsWith('2101'))) expect(row).toMatchObject({ population: 0, rate: null, method: 'none' });
    const total = shenyang.reduce((sum, row) => sum + row.population, 0);
    const { population } = preparedViewsFor(store).demand;
    expect(total).toBe(population.reduce((sum, p) => sum + p, 0));
  });

  it('never falls as minutes rise, and falls for slower walkers', async () => {
    const covered: number[][] = [];
    for (const maxMinutes of [5, 10, 15, 20]) {
      const rows = await caller.coverage.rates({ kind: 'convenience_store', maxMinutes, within: '2101', groupBy: 'county' });
      covered.push(rows.map((row) => row.coveredPopulation));
    }
    for (let k = 1; k < covered.length; k++) covered[k]!.forEach((value, i) => expect(value).toBeGreaterThanOrEqual(covered[k - 1]![i]!));
    expect(covered[3]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(covered[0]!.reduce((a, b) => a + b, 0));
    const standard = await caller.coverage.rates({ kind: 'health_station', maxMinutes: 15, within: '2101', groupBy: 'city' });
    const elderly = await caller.coverage.rates({ kind: 'health_station', maxMinutes: 15, speedKmh: 3, within: '2101', groupBy: 'city' });
    expect(standard).toHaveLength(1);
    expect(elderly[0]!.coveredPopulation).toBeLessThan(standard[0]!.coveredPopulation);
  });

  it('answers a limit as a search with that limit would, whichever longer limit its kind was searched for', async () => {
    // The service searches a kind once (≥ 1,000 m) and widens the search when a longer limit comes.
    const context = preparedViewsFor(store);
    const facilities = context.facilities('elder_day_care').located;
    const workspace = new NetworkCostWorkspace(context.network!.graph.nodeCount);
    for (const maxMeters of [700, 1600, 300, 1000, 3500]) {
      const rows = await caller.coverage.rates({ kind: 'elder_day_care', maxMeters, within: '2101', groupBy: 'city' });
      const state = computeDemandCoverage(context.network!.graph, workspace, context.demand, facilities, { maxMeters, detourFactor: 1.3 });
      let covered = 0;
      for (let i = 0; i < state.length; i++) if (state[i] !== 0) covered += context.demand.population[i]!;
      expect(rows[0]!.coveredPopulation, `${maxMeters} m`).toBe(covered);
    }
  });

  it('reads GB 50180 circles as 300/500/1,000 m, the same as those distances in metres', async () => {
    const input = { kind: 'health_station', within: '210103', groupBy: 'street' } as const;
    const gb = await caller.coverage.rates({ ...input, maxMinutes: 10, mode: 'gb50180' });
    const meters = await caller.coverage.rates({ ...input, maxMeters: 500 });
    expect(gb).toEqual(meters);
    // 15 minutes at 4 km/h is 1,000 m too.
    expect(await caller.coverage.rates({ ...input, maxMinutes: 15, mode: 'gb50180' })).toEqual(await caller.coverage.rates({ ...input, maxMinutes: 15 }));
  });

  it('adds up from grids to communities to streets', async () => {
    const street = streetWithHealthStations();
    const input = { kind: 'health_station', maxMinutes: 10, within: street } as const;
    const [streetRow] = await caller.coverage.rates({ ...input, groupBy: 'street' });
    const communities = await caller.coverage.rates({ ...input, groupBy: 'community' });
    const grids = await caller.coverage.rates({ ...input, groupBy: 'grid' });
    expect(streetRow!.code).toBe(street);
    expect(communities.length).toBeGreaterThan(1);
    expect(grids.length).toBeGreaterThan(communities.length);
    for (const rows of [communities, grids]) {
      expect(rows.reduce((sum, row) => sum + row.population, 0)).toBe(streetRow!.population);
      expect(rows.reduce((sum, row) => sum + row.coveredPopulation, 0)).toBe(streetRow!.coveredPopulation);
    }
    expect(grids.every((row) => row.code.startsWith(street) && row.code.length === 15 && row.name.length > 0)).toBe(true);
  });
});

describe('coverage.serviceAreas', () => {
  it('traces one polygon per facility of a street, each holding its facility', async () => {
    const street = streetWithHealthStations();
    const stations = store.facilities({ kinds: ['health_station'], withinCode: street });
    const areas = await caller.coverage.serviceAreas({ kind: 'health_station', maxMinutes: 15, within: street, dissolve: false });
    expect(areas.features).toHaveLength(stations.length);
    expect(areas.parameters).toMatchObject({ mode: 'time', maxMeters: 1000, maxMinutes: 15, speedKmh: 4, bufferMeters: 50, detourFactor: 1.3, maxSnapMeters: 300 });
    expect(areas.parameters.label.zh).toContain('绕行系数 1.3');
    const snap = preparedViewsFor(store).network!.snapper;
    for (const feature of areas.features) {
      const station = stations.find((s) => s.id === feature.properties.facilityId)!;
      expect(feature.properties).toMatchObject({ kind: 'health_station', facilityName: station.name, facilityCount: 1, maxMeters: 1000 });
      expect(feature.geometry.type).toBe('MultiPolygon');
      const snapped = snap.snapLngLat(station.lngLat, 300);
      if (feature.properties.method === 'network') {
        expect(snapped.edge[0]).toBeGreaterThanOrEqual(0);
        expect(feature.properties.cellMeters).toBe(15);
        // Within the buffer of the street it stands on, the facility is inside its own service area.
        if (snapped.distanceMeters[0]! < 30) expect(insideMultiPolygon(feature.geometry.coordinates, ...station.lngLat)).toBe(true);
      } else {
        expect(snapped.edge[0]).toBe(-1);
      }
    }
  });

  it('dissolves a county\'s facilities into one feature per method, the same answer again from the cache', async () => {
    const input = { kind: 'health_center', maxMinutes: 15, within: '210103' } as const;
    const areas = await caller.coverage.serviceAreas(input);
    expect(areas.features.length).toBeGreaterThanOrEqual(1);
    const network = areas.features.find((f) => f.properties.method === 'network')!;
    expect(network.properties).toMatchObject({ facilityId: null, facilityName: null, kind: 'health_center' });
    expect(network.properties.facilityCount).toBe(store.facilities({ kinds: ['health_center'], withinCode: '210103' }).length);
    expect(await caller.coverage.serviceAreas(input)).toEqual(areas);
  });
});

describe('coverage.gaps', () => {
  it('lists grids with uncovered residents, adding up to the residents the rates leave uncovered', async () => {
    const input = { kind: 'health_station', maxMinutes: 5, within: '210103' } as const;
    const gaps = await caller.coverage.gaps(input);
    const grids = await caller.coverage.rates({ ...input, groupBy: 'grid' });
    const uncovered = grids.reduce((sum, row) => sum + row.population - row.coveredPopulation, 0);
    expect(uncovered).toBeGreaterThan(0);
    expect(gaps.features.reduce((sum, f) => sum + f.properties.uncoveredPopulation, 0)).toBe(uncovered);
    expect(gaps.features.length).toBe(grids.filter((row) => row.coveredPopulation < row.population).length);
    for (const feature of gaps.features) {
      expect(feature.geometry.type).toBe('MultiPolygon');
      expect(feature.properties.uncoveredPopulation).toBeGreaterThan(0);
      expect(feature.properties.uncoveredShare).toBeLessThanOrEqual(1);
      expect(feature.properties.code.startsWith('210103')).toBe(true);
    }
    expect(gaps.parameters.maxMeters).toBeCloseTo(333.333, 3);
  });

  it('answers a whole city as points at the centroid of each grid\'s uncovered residents', async () => {
    const gaps = await caller.coverage.gaps({ kind: 'health_station', maxMinutes: 15, within: '2101', as: 'points' });
    expect(gaps.features.length).toBeGreaterThan(100);
    expect(gaps.features.every((f) => f.geometry.type === 'Point')).toBe(true);
    const rural = gaps.features.filter((f) => f.properties.method === 'straight-line');
    expect(rural.length).toBeGreaterThan(0);
  });
});

describe('coverage.workstations', () => {
  it('counts communities with a governance workstation per county', async () => {
    const rows = await caller.coverage.workstations({ within: '2101', groupBy: 'county' });
    expect(rows).toHaveLength(13);
    const workstations = store.facilities({ kinds: ['governance_workstation'], withinCode: '2101' });
    expect(rows.reduce((sum, row) => sum + row.communitiesWithWorkstation, 0)).toBe(new Set(workstations.map((w) => w.communityCode)).size);
    for (const row of rows) {
      expect(row.communities).toBe(store.adminChildren(row.code).reduce((sum, street) => sum + store.adminChildren(street.code).length, 0));
      expect(row.rate).toBeCloseTo(row.communitiesWithWorkstation / row.communities, 12);
    }
    // The generator plants workstations in about 82 % of communities.
    const total = rows.reduce((sum, row) => sum + row.communities, 0);
    expect(rows.reduce((sum, row) => sum + row.communitiesWithWorkstation, 0) / total).toBeGreaterThan(0.7);
    const communities = await caller.coverage.workstations({ within: '210103', groupBy: 'community' });
    expect(communities.every((row) => row.communities === 1 && (row.rate === 0 || row.rate === 1))).toBe(true);
  });
});

describe('coverage input errors', () => {
  it('names the field of a bad or contradictory limit', async () => {
    expect(await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 5, maxMeters: 300, groupBy: 'county' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^maxMinutes: give exactly one/),
    });
    expect((await refusal(caller.coverage.rates({ kind: 'health_station', groupBy: 'county' }))).message).toMatch(/^maxMinutes:/);
    expect((await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 12, mode: 'gb50180', groupBy: 'county' }))).message).toMatch(
      /^maxMinutes: the GB 50180 mode has 5, 10 and 15 minute circles/,
    );
    expect((await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 90, groupBy: 'county' }))).message).toMatch(/^maxMinutes:/);
    expect((await refusal(caller.coverage.rates({ kind: 'hospital' as never, maxMinutes: 5, groupBy: 'county' }))).message).toMatch(/^kind:/);
    expect((await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 5, groupBy: 'county', colour: 'red' } as never))).message).toContain('colour');
  });

  it('refuses a groupBy coarser than within, and grids for workstations', async () => {
    expect(await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 5, within: '210103', groupBy: 'city' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^groupBy: city is coarser than within/),
    });
    expect((await refusal(caller.coverage.workstations({ within: '2101', groupBy: 'grid' } as never))).message).toMatch(/^groupBy:/);
  });

  it('answers NOT_FOUND for a well-formed code of no unit', async () => {
    expect(await refusal(caller.coverage.rates({ kind: 'health_station', maxMinutes: 5, within: '219999', groupBy: 'county' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'within: no admin unit has code 219999',
    });
    expect((await refusal(caller.coverage.serviceAreas({ kind: 'health_station', maxMinutes: 5, within: '219999' }))).code).toBe('NOT_FOUND');
    expect((await refusal(caller.coverage.gaps({ kind: 'health_station', maxMinutes: 5, within: '219999' }))).code).toBe('NOT_FOUND');
  });

  it('refuses oversized work with "Too large" and a hint', async () => {
    const separate = await refusal(caller.coverage.serviceAreas({ kind: 'convenience_store', maxMinutes: 15, within: '2101', dissolve: false }));
    expect(separate.code).toBe('BAD_REQUEST');
    expect(separate.message).toMatch(/^Too large: [\d,]+ facilities of kind convenience_store inside 2101 .*dissolve: true/);
    const polygons = await refusal(caller.coverage.gaps({ kind: 'health_station', maxMinutes: 5, within: '2101' }));
    expect(polygons.message).toMatch(/^Too large: [\d,]+ grids with uncovered residents inside 2101 .*as: "points"/);
  });
});

it('reports its defaults and presets', async () => {
  expect(await caller.coverage.parameters()).toEqual({
    speedKmh: 4,
    speedPresetsKmh: { standard: 4, elderly: 3 },
    gb50180MetersByMinutes: { 5: 300, 10: 500, 15: 1000 },
    maxSnapMeters: 300,
    detourFactor: 1.3,
    bufferMeters: 50,
    networkLoaded: true,
  });
});
