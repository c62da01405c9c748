// Coverage of demand points: a hand-computed street with access walks, the straight-line fallback for
// ends off the network, sums per group, workstation counts, travel limits; and properties (fast-check):
// coverage never falls as the limit rises, rates stay in [0, 1].

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../server/analysis/random';
import {
  COVERED_BY_NETWORK,
  COVERED_BY_STRAIGHT_LINE,
  UNCOVERED,
  computeDemandCoverage,
  computeDemandNetworkCosts,
  computeStraightLineMeters,
  coverageFromCosts,
  locatePoints,
  sumCoverageByGroup,
} from '../../../../server/analysis/coverage/demand-coverage';
import {
  describeTravelLimit,
  metersForMinutes,
  resolveTravelLimit,
} from '../../../../server/domain/travel-limits';
import { countWorkstationCoverage } from '../../../../server/analysis/coverage/workstation-coverage';
import { createLocalProjection } from '../../../../server/analysis/geo/local-projection';
import { EdgeSnapper } from '../../../../server/analysis/network/edge-snapper';
import { NetworkCostWorkspace } from '../../../../server/analysis/network/network-costs';
import { haversineMeters } from '../../../../server/analysis/network/polyline-network';
import { DIRECTION_BACKWARD, DIRECTION_BOTH, DIRECTION_FORWARD, buildRoadGraph } from '../../../../server/analysis/network/road-graph';
import { bellmanFord } from '../network/network-helpers';
import { streetGrid } from './coverage-helpers';

const projection = createLocalProjection(123.4, 41.8);
const lngLatOf = (points: [number, number][]) => Float64Array.from(points.flatMap(([x, y]) => projection.toLngLat([x, y])));

/** One straight street 0 → 1000 m east along y = 0, in 4 edges of 250 m. */
function street() {
  const nodes = [0, 250, 500, 750, 1000].map((x) => projection.toLngLat([x, 0]));
  return buildRoadGraph(
    {
      nodeLngLat: Float64Array.from(nodes.flat()),
      edgeFrom: Uint32Array.from([0, 1, 2, 3]),
      edgeTo: Uint32Array.from([1, 2, 3, 4]),
      edgeLengthMeters: Float64Array.from([250, 250, 250, 250]),
      edgeDirection: new Uint8Array(4).fill(DIRECTION_BOTH),
    },
    { projectionOrigin: [123.4, 41.8] },
  );
}

describe('computeDemandCoverage', () => {
  it('adds the walks onto and off the network to the network walk', () => {
    const graph = street();
    const snapper = new EdgeSnapper(graph);
    // A facility 20 m north of x = 100; homes along the street, 30 m south of it.
    const facilities = locatePoints(snapper, lngLatOf([[100, 20]]), 300);
    const demand = locatePoints(snapper, lngLatOf([[500, -30], [640, -30], [660, -30], [100, -30]]), 300);
    const state = computeDemandCoverage(graph, new NetworkCostWorkspace(graph.nodeCount), demand, facilities, { maxMeters: 600, detourFactor: 1.3 });
    // 20 + 400 + 30 = 450; 20 + 540 + 30 = 590; 20 + 560 + 30 = 610 > 600; 20 + 0 + 30 on the same edge.
    expect(Array.from(state)).toEqual([COVERED_BY_NETWORK, COVERED_BY_NETWORK, UNCOVERED, COVERED_BY_NETWORK]);
  });

  it('uses straight-line distance × detour factor when an end is off the network', () => {
    const graph = street();
    const snapper = new EdgeSnapper(graph);
    // Facility 0 on the street at x = 0; facility 1 far off it (500 m north of x = 1000).
    const facilities = locatePoints(snapper, lngLatOf([[0, 5], [1000, 500]]), 300);
    expect(Array.from(facilities.snap.edge)).toEqual([0, -1]);
    const demand = locatePoints(
      snapper,
      lngLatOf([
        [0, 400], // off the network, 400 m from facility 0: 400 × 1.3 = 520 ≤ 600
        [0, 470], // off the network, 470 × 1.3 = 611 > 600
        [1000, 50], // on the network, 450 m from the off-network facility 1: 585 ≤ 600
        [900, 10], // on the network, 500 m from facility 1 (× 1.3 = 650 > 600), a 915 m walk from facility 0
      ]),
      300,
    );
    expect(Array.from(demand.snap.edge).map((e) => e >= 0)).toEqual([false, false, true, true]);
    const state = computeDemandCoverage(graph, new NetworkCostWorkspace(graph.nodeCount), demand, facilities, { maxMeters: 600, detourFactor: 1.3 });
    expect(Array.from(state)).toEqual([COVERED_BY_STRAIGHT_LINE, UNCOVERED, COVERED_BY_STRAIGHT_LINE, UNCOVERED]);
  });

  it('works without a network at all (everything straight-line)', () => {
    const facilities = locatePoints(null, lngLatOf([[0, 0]]), 300);
    const demand = locatePoints(null, lngLatOf([[300, 0], [500, 0]]), 300);
    const state = computeDemandCoverage(null, null, demand, facilities, { maxMeters: 500, detourFactor: 1.25 });
    expect(Array.from(state)).toEqual([COVERED_BY_STRAIGHT_LINE, UNCOVERED]);
    const none = computeDemandCoverage(null, null, demand, locatePoints(null, new Float64Array(0), 300), { maxMeters: 500, detourFactor: 1.3 });
    expect(Array.from(none)).toEqual([UNCOVERED, UNCOVERED]);
  });

  it('agrees with a pairwise check (Bellman-Ford from each facility, or the straight line) on seeded grids', () => {
    const rng = createRng(17);
    let covered = 0;
    let straight = 0;
    for (let trial = 0; trial < 8; trial++) {
      const edges = streetGrid(rng, 10, 120, 0.15);
      // Some one-way streets, either way.
      for (let e = 0; e < edges.edgeFrom.length; e++) {
        if (rng.chance(0.2)) edges.edgeDirection![e] = rng.chance(0.5) ? DIRECTION_FORWARD : DIRECTION_BACKWARD;
      }
      const graph = buildRoadGraph(edges);
      const snapper = new EdgeSnapper(graph);
      // The grid spans about ±540 m about the projection's origin; a margin beyond it is off the network.
      const randomLngLat = (n: number, half: number) =>
        Float64Array.from(Array.from({ length: n }, () => graph.projection.toLngLat([rng.uniform(-half, half), rng.uniform(-half, half)])).flat());
      const facilities = locatePoints(snapper, randomLngLat(rng.int(1, 6), 900), 150);
      const demand = locatePoints(snapper, randomLngLat(300, 900), 150);
      const maxMeters = rng.uniform(100, 900);
      const detourFactor = 1.3;
      const state = computeDemandCoverage(graph, new NetworkCostWorkspace(graph.nodeCount), demand, facilities, { maxMeters, detourFactor });
      const d = edges.edgeDirection!;
      const fs = facilities.snap;
      const ds = demand.snap;
      // Costs from each facility on the network over the whole graph (no cutoff), by Bellman-Ford.
      const fromFacility = Array.from({ length: facilities.count }, (_, f) => {
        const e = fs.edge[f]!;
        if (e < 0) return null;
        const length = edges.edgeLengthMeters[e]!;
        const nodes: number[] = [];
        const costs: number[] = [];
        if (d[e]! & DIRECTION_FORWARD) {
          nodes.push(edges.edgeTo[e]!);
          costs.push(fs.distanceMeters[f]! + (1 - fs.fraction[f]!) * length);
        }
        if (d[e]! & DIRECTION_BACKWARD) {
          nodes.push(edges.edgeFrom[e]!);
          costs.push(fs.distanceMeters[f]! + fs.fraction[f]! * length);
        }
        return bellmanFord(edges, nodes, costs);
      });
      for (let i = 0; i < demand.count; i++) {
        let expected = UNCOVERED;
        for (let f = 0; f < facilities.count && expected !== COVERED_BY_NETWORK; f++) {
          const cost = fromFacility[f];
          const e = ds.edge[i]!;
          if (cost && e >= 0) {
            const length = edges.edgeLengthMeters[e]!;
            const g = ds.fraction[i]!;
            let best = Infinity;
            if (d[e]! & DIRECTION_FORWARD) best = Math.min(best, cost[edges.edgeFrom[e]!]! + g * length);
            if (d[e]! & DIRECTION_BACKWARD) best = Math.min(best, cost[edges.edgeTo[e]!]! + (1 - g) * length);
            if (e === fs.edge[f]) {
              const along = g - fs.fraction[f]!;
              if ((along >= 0 && d[e]! & DIRECTION_FORWARD) || (along <= 0 && d[e]! & DIRECTION_BACKWARD)) {
                best = Math.min(best, fs.distanceMeters[f]! + Math.abs(along) * length);
              }
            }
            if (best + ds.distanceMeters[i]! <= maxMeters) expected = COVERED_BY_NETWORK;
          } else {
            const meters = haversineMeters(facilities.lngLat[f * 2]!, facilities.lngLat[f * 2 + 1]!, demand.lngLat[i * 2]!, demand.lngLat[i * 2 + 1]!);
            if (meters * detourFactor <= maxMeters) expected = COVERED_BY_STRAIGHT_LINE;
          }
        }
        // A point covered both ways is reported as covered over the network.
        expect(state[i], `trial ${trial} point ${i}`).toBe(expected);
        if (expected === COVERED_BY_NETWORK) covered++;
        if (expected === COVERED_BY_STRAIGHT_LINE) straight++;
      }
    }
    expect(covered).toBeGreaterThan(100);
    expect(straight).toBeGreaterThan(10);
  });

  it('answers any limit up to the cutoff of kept costs exactly as a search with that limit (property)', () => {
    const rng = createRng(23);
    const edges = streetGrid(rng, 12, 150, 0.1);
    for (let e = 0; e < edges.edgeFrom.length; e++) if (rng.chance(0.15)) edges.edgeDirection![e] = DIRECTION_FORWARD;
    const graph = buildRoadGraph(edges);
    const snapper = new EdgeSnapper(graph);
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const point = fc.tuple(fc.double({ min: -1300, max: 1300, noNaN: true }), fc.double({ min: -1300, max: 1300, noNaN: true }));
    const toLngLat = (xy: [number, number][]) => Float64Array.from(xy.flatMap((p) => graph.projection.toLngLat(p)));
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 6 }),
        fc.array(point, { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0, max: 2500, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (facilityXY, homeXY, cutoff, shares) => {
          const facilities = locatePoints(snapper, toLngLat(facilityXY), 300);
          const demand = locatePoints(snapper, toLngLat(homeXY), 300);
          const networkCosts = computeDemandNetworkCosts(graph, workspace, demand, facilities, cutoff);
          const straightLineMeters = computeStraightLineMeters(demand, facilities, cutoff / 1.3);
          // The straight line: the nearest facility of a pair with an end off the network, within the radius.
          for (let i = 0; i < demand.count; i++) {
            let nearest = Infinity;
            for (let f = 0; f < facilities.count; f++) {
              if (demand.snap.edge[i]! >= 0 && facilities.snap.edge[f]! >= 0) continue;
              const meters = haversineMeters(facilities.lngLat[f * 2]!, facilities.lngLat[f * 2 + 1]!, demand.lngLat[i * 2]!, demand.lngLat[i * 2 + 1]!);
              if (meters <= cutoff / 1.3) nearest = Math.min(nearest, meters);
            }
            expect(straightLineMeters[i]).toBe(nearest);
          }
          for (const share of [1, ...shares]) {
            const options = { maxMeters: cutoff * share, detourFactor: 1.3 };
            const direct = computeDemandCoverage(graph, workspace, demand, facilities, options);
            expect(Array.from(coverageFromCosts(networkCosts, straightLineMeters, options))).toEqual(Array.from(direct));
          }
        },
      ),
      { numRuns: 80, seed: 8 },
    );
  });

  it('never covers fewer residents as the limit rises, and keeps rates in [0, 1] (property)', () => {
    const rng = createRng(9);
    const graph = buildRoadGraph(streetGrid(rng, 12, 150, 0.1));
    const snapper = new EdgeSnapper(graph);
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const point = fc.tuple(fc.double({ min: -400, max: 2200, noNaN: true }), fc.double({ min: -400, max: 2200, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(point, fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1500, noNaN: true }),
        fc.double({ min: 0, max: 1500, noNaN: true }),
        (facilityXY, homes, a, b) => {
          const toLngLat = (xy: [number, number][]) => Float64Array.from(xy.flatMap((p) => graph.projection.toLngLat(p)));
          const facilities = locatePoints(snapper, toLngLat(facilityXY), 300);
          const demand = locatePoints(snapper, toLngLat(homes.map((h) => h[0])), 300);
          const population = Uint32Array.from(homes, (h) => h[1]);
          const group = Int32Array.from(homes, (h) => h[2]);
          const low = computeDemandCoverage(graph, workspace, demand, facilities, { maxMeters: Math.min(a, b), detourFactor: 1.3 });
          const high = computeDemandCoverage(graph, workspace, demand, facilities, { maxMeters: Math.max(a, b), detourFactor: 1.3 });
          for (let i = 0; i < demand.count; i++) if (low[i] !== UNCOVERED) expect(high[i]).not.toBe(UNCOVERED);
          const lowTotals = sumCoverageByGroup(group, 4, population, low, demand.snap);
          const highTotals = sumCoverageByGroup(group, 4, population, high, demand.snap);
          for (let g = 0; g < 4; g++) {
            expect(highTotals.coveredPopulation[g]).toBeGreaterThanOrEqual(lowTotals.coveredPopulation[g]!);
            if (highTotals.population[g]! > 0) {
              const rate = highTotals.coveredPopulation[g]! / highTotals.population[g]!;
              expect(rate).toBeGreaterThanOrEqual(0);
              expect(rate).toBeLessThanOrEqual(1);
            }
            expect(highTotals.networkPopulation[g]).toBeLessThanOrEqual(highTotals.population[g]!);
          }
        },
      ),
      { numRuns: 60, seed: 4 },
    );
  });
});

describe('sumCoverageByGroup', () => {
  it('sums residents, covered residents and residents judged on the network per group', () => {
    const snap = { count: 4, edge: Int32Array.from([3, -1, 0, 2]), fraction: new Float64Array(4), distanceMeters: new Float64Array(4) };
    const totals = sumCoverageByGroup(
      Int32Array.from([0, 0, 1, -1]),
      2,
      Uint32Array.from([10, 20, 30, 40]),
      Uint8Array.from([COVERED_BY_NETWORK, COVERED_BY_STRAIGHT_LINE, UNCOVERED, COVERED_BY_NETWORK]),
      snap,
    );
    expect(Array.from(totals.population)).toEqual([30, 30]);
    expect(Array.from(totals.coveredPopulation)).toEqual([30, 0]);
    expect(Array.from(totals.networkPopulation)).toEqual([10, 30]);
  });
});

describe('countWorkstationCoverage', () => {
  it('counts communities and those with a workstation per unit, by code prefix', () => {
    const communities = ['210102001001', '210102001002', '210102002001', '210103001001'];
    const counts = countWorkstationCoverage(['210102', '210103', '210104'], communities, new Set(['210102001002', '210103001001']));
    expect(Array.from(counts.communities)).toEqual([3, 1, 0]);
    expect(Array.from(counts.withWorkstation)).toEqual([1, 1, 0]);
  });
});

describe('travel limits', () => {
  it('turns minutes at a speed, metres, or GB 50180 circles into metres', () => {
    expect(metersForMinutes(15)).toBe(1000);
    expect(resolveTravelLimit({ maxMinutes: 15 })).toEqual({ mode: 'time', maxMeters: 1000, maxMinutes: 15, speedKmh: 4 });
    expect(resolveTravelLimit({ maxMinutes: 10, speedKmh: 3 }).maxMeters).toBe(500);
    expect(resolveTravelLimit({ maxMeters: 800 })).toEqual({ mode: 'time', maxMeters: 800, maxMinutes: null, speedKmh: null });
    expect(resolveTravelLimit({ maxMinutes: 5, mode: 'gb50180' }).maxMeters).toBe(300);
    expect(resolveTravelLimit({ maxMinutes: 10, mode: 'gb50180' }).maxMeters).toBe(500);
    expect(resolveTravelLimit({ maxMinutes: 15, mode: 'gb50180' }).maxMeters).toBe(1000);
  });

  it('refuses contradictory limits, naming the field', () => {
    expect(() => resolveTravelLimit({})).toThrow(/^maxMinutes:/);
    expect(() => resolveTravelLimit({ maxMinutes: 5, maxMeters: 300 })).toThrow(/^maxMinutes:/);
    expect(() => resolveTravelLimit({ maxMinutes: 12, mode: 'gb50180' })).toThrow(/^maxMinutes: the GB 50180 mode has 5, 10 and 15/);
    expect(() => resolveTravelLimit({ maxMinutes: 5, mode: 'gb50180', speedKmh: 3 })).toThrow(/^speedKmh:/);
    expect(() => resolveTravelLimit({ maxMeters: 300, speedKmh: 3 })).toThrow(/^speedKmh:/);
  });

  it('describes the limit with its method', () => {
    const label = describeTravelLimit(resolveTravelLimit({ maxMinutes: 15 }));
    expect(label.zh).toContain('步行 15 分钟（4 km/h，1,000 m）');
    expect(label.en).toContain('detour factor 1.3');
  });
});
