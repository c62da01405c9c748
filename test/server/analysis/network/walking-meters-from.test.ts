// Walking metres from one place to a few: a hand-computed square (along the shorter side, one-way edges,
// a target on the origin's own edge, the access walk, a target off the network), and a brute-force
// Dijkstra (a binary heap over the edge list, from the same snapped positions) on seeded random graphs.

import { describe, expect, it } from 'vitest';
import { EdgeSnapper } from '../../../../server/analysis/network/edge-snapper';
import { NetworkCostWorkspace } from '../../../../server/analysis/network/network-costs';
import { DIRECTION_BOTH, DIRECTION_FORWARD, buildRoadGraph, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { CUTOFF_SLACK_METERS, WALK_CUTOFF_FACTOR, walkingMetersFrom } from '../../../../server/analysis/network/walking-meters-from';
import { haversineMeters } from '../../../../server/analysis/network/polyline-network';
import { bruteForceWalkingMeters } from '../../../support/dijkstra';
import { createRng, randomEdgeList } from './network-helpers';

/** A square A(0) — B(1) — C(2) — D(3) about 166 m a side, with walking lengths 200 (AB), 250 (BC), 200 (CD), 400 (DA). */
function square(cdDirection = DIRECTION_BOTH): RoadEdgeList {
  return {
    nodeLngLat: Float64Array.from([123.4, 41.8, 123.402, 41.8, 123.402, 41.8015, 123.4, 41.8015]),
    edgeFrom: Uint32Array.from([0, 1, 3, 3]),
    edgeTo: Uint32Array.from([1, 2, 2, 0]),
    edgeLengthMeters: Float64Array.from([200, 250, 200, 400]),
    edgeDirection: Uint8Array.from([DIRECTION_BOTH, DIRECTION_BOTH, cdDirection, DIRECTION_BOTH]),
  };
}

describe('walkingMetersFrom', () => {
  it('walks the shorter way round a square, along the own edge, and adds the access walks', () => {
    const graph = buildRoadGraph(square());
    const snapper = new EdgeSnapper(graph);
    // From the middle of AB: to the middle of DC via B and C (100 + 250 + 100), not via A and D (600);
    // to 3/4 along AB directly (50); to a point ~11 m north of DC's middle (450 + the access walk).
    const offset = 0.0001; // degrees of latitude, about 11.1 m
    const targets = Float64Array.from([123.401, 41.8015, 123.4015, 41.8, 123.401, 41.8015 + offset, 123.5, 41.9]);
    const meters = walkingMetersFrom(graph, snapper, [123.401, 41.8], targets, 300);
    expect(meters[0]).toBeCloseTo(450, 6);
    expect(meters[1]).toBeCloseTo(50, 6);
    expect(meters[2]! - 450).toBeCloseTo(haversineMeters(123.401, 41.8015, 123.401, 41.8015 + offset), 0);
    // Beyond the snap distance: no walk.
    expect(meters[3]).toBeNaN();
  });

  it('honours one-way edges: DC walked only from D makes the way round through A', () => {
    const graph = buildRoadGraph(square(DIRECTION_FORWARD));
    const meters = walkingMetersFrom(graph, new EdgeSnapper(graph), [123.401, 41.8], Float64Array.from([123.401, 41.8015]), 300);
    // 100 (to A) + 400 (A to D) + 100 (D to the middle of DC).
    expect(meters[0]).toBeCloseTo(600, 6);
  });

  it('answers NaN for every target when the origin lies off the network', () => {
    const graph = buildRoadGraph(square());
    const meters = walkingMetersFrom(graph, new EdgeSnapper(graph), [123.5, 41.9], Float64Array.from([123.401, 41.8015]), 300);
    expect(meters[0]).toBeNaN();
  });

  it('agrees with a brute-force Dijkstra on seeded random graphs, within its cutoff', () => {
    const rng = createRng(17);
    let compared = 0;
    for (let trial = 0; trial < 12; trial++) {
      const edges = randomEdgeList(rng, { nodes: 60 + trial * 10, edges: 150 + trial * 25, oneWayShare: 0.2, zeroShare: 0.05 });
      const graph = buildRoadGraph(edges);
      const snapper = new EdgeSnapper(graph);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      for (let query = 0; query < 4; query++) {
        const origin: [number, number] = [123.4 + rng.uniform(0, 0.025), 41.8 + rng.uniform(0, 0.018)];
        const targets = Float64Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 123.4 + rng.uniform(0, 0.025) : 41.8 + rng.uniform(0, 0.018)));
        const fast = walkingMetersFrom(graph, snapper, origin, targets, 500, workspace);
        const oracle = bruteForceWalkingMeters(graph, snapper, origin, targets, 500);
        let farthest = 0;
        for (let i = 0; i < 5; i++) farthest = Math.max(farthest, haversineMeters(origin[0], origin[1], targets[2 * i]!, targets[2 * i + 1]!));
        for (let i = 0; i < 5; i++) {
          if (Number.isNaN(fast[i]!)) {
            // Not found: unreachable, or farther than the cutoff (plus the access walk at the far end).
            expect(!Number.isFinite(oracle[i]!) || oracle[i]! > farthest * WALK_CUTOFF_FACTOR + CUTOFF_SLACK_METERS).toBe(true);
          } else {
            expect(fast[i]).toBeCloseTo(oracle[i]!, 6);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
