// Facilities near a region: on seeded jittered street grids (some links one-way, some points and
// facilities off the network), costs from the facilities near a box equal, float for float, the costs
// from every facility at each point of the box up to the reach (network and straight line), while far
// facilities are left out; the subset keeps each facility's location and snap; and a region's coverage
// states from those facilities over its points alone equal computeDemandCoverage's from all of them.

import { describe, expect, it } from 'vitest';
import { boxOfPoints, facilitiesNearBox, subsetOfLocatedPoints } from '../../../../server/analysis/coverage/facilities-near-region';
import { COVERED_BY_NETWORK, COVERED_BY_STRAIGHT_LINE, computeDemandCoverage, computeDemandNetworkCosts, computeStraightLineMeters, locatePoints } from '../../../../server/analysis/coverage/demand-coverage';
import { computeRegionCoverage, regionPoints } from '../../../../server/analysis/coverage/region-coverage';
import { EdgeSnapper } from '../../../../server/analysis/network/edge-snapper';
import { NetworkCostWorkspace } from '../../../../server/analysis/network/network-costs';
import { DIRECTION_BOTH, DIRECTION_FORWARD, buildRoadGraph } from '../../../../server/analysis/network/road-graph';
import { createRng, type Rng } from '../../../../server/analysis/random';
import { streetGrid } from './coverage-helpers';

/** A 60 × 60 grid 100 m apart (6 km square) with a tenth of its links one-way, points scattered over it and 300 m beyond. */
function city(rng: Rng) {
  const edges = streetGrid(rng, 60, 100, 0.1);
  const edgeDirection = Uint8Array.from(edges.edgeFrom, () => (rng.chance(0.1) ? DIRECTION_FORWARD : DIRECTION_BOTH));
  const graph = buildRoadGraph({ ...edges, edgeDirection });
  const snapper = new EdgeSnapper(graph);
  const [minLng, minLat, maxLng, maxLat] = boxOfPoints(graph.nodeLngLat, Uint32Array.from({ length: graph.nodeCount }, (_, n) => n))!;
  // 300 m beyond the grid on every side (83 km a degree of longitude, 111 km of latitude here).
  const scatter = (count: number) => {
    const lngLat = new Float64Array(count * 2);
    for (let i = 0; i < count; i++) {
      lngLat[2 * i] = rng.uniform(minLng - 300 / 83_000, maxLng + 300 / 83_000);
      lngLat[2 * i + 1] = rng.uniform(minLat - 300 / 111_000, maxLat + 300 / 111_000);
    }
    return lngLat;
  };
  return { graph, demand: locatePoints(snapper, scatter(3000), 30), facilities: locatePoints(snapper, scatter(120), 30) };
}

/** The points in a box round the city's south-west corner, about a ninth to a quarter of them. */
function cornerPoints(rng: Rng, points: { count: number; lngLat: Float64Array }): Uint32Array {
  const [minLng, minLat, maxLng, maxLat] = boxOfPoints(points.lngLat, Uint32Array.from({ length: points.count }, (_, i) => i))!;
  const width = rng.uniform(0.33, 0.5);
  const east = minLng + (maxLng - minLng) * width;
  const north = minLat + (maxLat - minLat) * width;
  return Uint32Array.from({ length: points.count }, (_, i) => i).filter((i) => points.lngLat[2 * i]! <= east && points.lngLat[2 * i + 1]! <= north);
}

describe('facilitiesNearBox', () => {
  it('gives the points of a box the same network and straight-line costs as every facility, up to the reach', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(seed);
      const { graph, demand, facilities } = city(rng);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const reachMeters = rng.uniform(200, 1500);
      const inside = cornerPoints(rng, demand);
      const near = facilitiesNearBox(facilities, boxOfPoints(demand.lngLat, inside)!, reachMeters);
      expect(near.length).toBeLessThan(facilities.count);
      const subset = subsetOfLocatedPoints(facilities, near);
      const allNetwork = computeDemandNetworkCosts(graph, workspace, demand, facilities, reachMeters);
      const nearNetwork = computeDemandNetworkCosts(graph, workspace, demand, subset, reachMeters);
      const allStraight = computeStraightLineMeters(demand, facilities, reachMeters);
      const nearStraight = computeStraightLineMeters(demand, subset, reachMeters);
      let reached = 0;
      for (const i of inside) {
        expect(Object.is(nearNetwork[i], allNetwork[i])).toBe(true);
        expect(Object.is(nearStraight[i], allStraight[i])).toBe(true);
        if (allNetwork[i]! < Infinity) reached++;
      }
      expect(reached).toBeGreaterThan(0);
    }
  });

  it('keeps each facility as it was located, and answers none for an empty set', () => {
    const { facilities } = city(createRng(3));
    const ids = Uint32Array.of(5, 17, 40);
    const subset = subsetOfLocatedPoints(facilities, ids);
    expect(subset.count).toBe(3);
    ids.forEach((i, k) => {
      expect([subset.lngLat[2 * k], subset.lngLat[2 * k + 1]]).toEqual([facilities.lngLat[2 * i], facilities.lngLat[2 * i + 1]]);
      expect([subset.snap.edge[k], subset.snap.fraction[k], subset.snap.distanceMeters[k]]).toEqual([facilities.snap.edge[i], facilities.snap.fraction[i], facilities.snap.distanceMeters[i]]);
    });
    expect(subset.byEdge.length + subset.offNetwork.length).toBe(3);
    const none = subsetOfLocatedPoints(facilities, new Uint32Array(0));
    expect(facilitiesNearBox(none, [0, 0, 180, 80], 1000)).toHaveLength(0);
    expect(boxOfPoints(facilities.lngLat, new Uint32Array(0))).toBeNull();
  });
});

describe('computeRegionCoverage', () => {
  it("equals computeDemandCoverage's states at the region's points, from the facilities near it alone", () => {
    for (let seed = 21; seed <= 30; seed++) {
      const rng = createRng(seed);
      const { graph, demand, facilities } = city(rng);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const maxMeters = rng.uniform(200, 1500);
      const detourFactor = rng.uniform(1.1, 1.5);
      const inside = cornerPoints(rng, demand);
      const near = subsetOfLocatedPoints(facilities, facilitiesNearBox(facilities, boxOfPoints(demand.lngLat, inside)!, maxMeters));
      const expected = computeDemandCoverage(graph, workspace, demand, facilities, { maxMeters, detourFactor });
      const states = computeRegionCoverage(graph, workspace, demand, regionPoints(demand.count, inside), near, maxMeters, detourFactor);
      expect(Array.from(states)).toEqual(Array.from(inside, (i) => expected[i]));
      expect(states).toContain(COVERED_BY_NETWORK);
      expect(states).toContain(COVERED_BY_STRAIGHT_LINE);
      // With no graph given, both leave the network out alike.
      const noNetwork = computeRegionCoverage(null, null, demand, regionPoints(demand.count, inside), near, maxMeters, detourFactor);
      const straight = computeDemandCoverage(null, null, demand, facilities, { maxMeters, detourFactor });
      expect(Array.from(noNetwork)).toEqual(Array.from(inside, (i) => straight[i]));
    }
  });
});
