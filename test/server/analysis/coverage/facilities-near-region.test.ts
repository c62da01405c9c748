// Facilities near a region: on seeded jittered street grids (some links one-way, some points and
// facilities off the network), costs from the facilities near a box equal, float for float, the costs
// from every facility at each point of the box up to the reach (network and straight line), while far
// facilities are left out; the subset keeps each facility's location and snap.

import { describe, expect, it } from 'vitest';
import { boxOfPoints, facilitiesNearBox, subsetOfLocatedPoints } from '../../../../server/analysis/coverage/facilities-near-region';
import { computeDemandNetworkCosts, computeStraightLineMeters, locatePoints } from '../../../../server/analysis/coverage/demand-coverage';
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

describe('facilitiesNearBox', () => {
  it('gives the points of a box the same network and straight-line costs as every facility, up to the reach', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(seed);
      const { graph, demand, facilities } = city(rng);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const reachMeters = rng.uniform(200, 1500);
      // A box round a random corner of the city, holding about a ninth to a quarter of the points.
      const box = boxOfPoints(demand.lngLat, Uint32Array.from({ length: demand.count }, (_, i) => i))!;
      const [minLng, minLat, maxLng, maxLat] = box;
      const width = rng.uniform(0.33, 0.5);
      const inner: [number, number, number, number] = [minLng, minLat, minLng + (maxLng - minLng) * width, minLat + (maxLat - minLat) * width];
      const inside = Uint32Array.from({ length: demand.count }, (_, i) => i).filter((i) => {
        const lng = demand.lngLat[2 * i]!;
        const lat = demand.lngLat[2 * i + 1]!;
        return lng >= inner[0] && lng <= inner[2] && lat >= inner[1] && lat <= inner[3];
      });
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
