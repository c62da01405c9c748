// The reachable part of the network after a search: whole edges, partial pieces at the cutoff, the
// stretch around a source on its own edge, one-way edges; and on random graphs, exactly the positions
// whose cost is within the cutoff.

import { describe, expect, it } from 'vitest';
import {
  EdgeSourceIndex,
  NetworkCostWorkspace,
  computeNetworkCosts,
  costAtSnappedPosition,
  seedsAtNodes,
  seedsAtSnappedPoints,
} from '../../../../server/analysis/network/network-costs';
import { ReachableEdgeCollector, type ReachableIntervals } from '../../../../server/analysis/network/reachable-edges';
import { DIRECTION_BOTH, DIRECTION_FORWARD, buildRoadGraph, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { createRng, randomEdgeList } from './network-helpers';

/** 0 —100— 1 —200— 2 —100— 3, and a one-way 1 → 3 of 400 m, and a loop at 3 of 50 m. */
function network(): RoadEdgeList {
  return {
    nodeLngLat: Float64Array.from([123.4, 41.8, 123.401, 41.8, 123.403, 41.8, 123.404, 41.8]),
    edgeFrom: Uint32Array.from([0, 1, 2, 1, 3]),
    edgeTo: Uint32Array.from([1, 2, 3, 3, 3]),
    edgeLengthMeters: Float64Array.from([100, 200, 100, 400, 50]),
    edgeDirection: Uint8Array.from([DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_FORWARD, DIRECTION_BOTH]),
  };
}

function asRows(intervals: ReachableIntervals): [number, number, number][] {
  return Array.from({ length: intervals.count }, (_, k): [number, number, number] => [
    intervals.edge[k]!,
    Math.round(intervals.start[k]! * 1e9) / 1e9,
    Math.round(intervals.end[k]! * 1e9) / 1e9,
  ]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe('ReachableEdgeCollector', () => {
  it('collects whole edges and the partial pieces at the cutoff', () => {
    const graph = buildRoadGraph(network());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const collector = new ReachableEdgeCollector(graph);
    computeNetworkCosts(graph, seedsAtNodes([0]), 250, workspace);
    // Node 1 at 100: edge 1 up to 150/200, the one-way edge 3 up to 150/400; node 2 not reached.
    expect(asRows(collector.collect(workspace, 250))).toEqual([
      [0, 0, 1],
      [1, 0, 0.75],
      [3, 0, 0.375],
    ]);
    // From node 3: the loop is walked from both of its ends; the one-way edge 3 not at all (3 → 1 is not allowed).
    computeNetworkCosts(graph, seedsAtNodes([3]), 20, workspace);
    expect(asRows(collector.collect(workspace, 20))).toEqual([
      [2, 0.8, 1],
      [4, 0, 0.4],
      [4, 0.6, 1],
    ]);
    // Pieces from both ends of an edge that meet are merged.
    computeNetworkCosts(graph, seedsAtNodes([1, 3]), 160, workspace);
    expect(asRows(collector.collect(workspace, 160))).toContainEqual([2, 0, 1]);
    expect(asRows(collector.collect(workspace, 160))).toContainEqual([1, 0, 1]);
  });

  it('adds the stretch around a source on its own edge, also when neither end is reached', () => {
    const graph = buildRoadGraph(network());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const collector = new ReachableEdgeCollector(graph);
    const edge = Int32Array.from([1]);
    const fraction = Float64Array.from([0.5]);
    const access = Float64Array.from([10]);
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), 50, workspace);
    expect(workspace.reachedCount).toBe(0);
    expect(asRows(collector.collect(workspace, 50, new EdgeSourceIndex(graph.edgeCount, edge, fraction, access)))).toEqual([[1, 0.3, 0.7]]);
    // A source on the one-way edge reaches only ahead of itself.
    const oneWay = new EdgeSourceIndex(graph.edgeCount, Int32Array.from([3]), Float64Array.from([0.5]), Float64Array.from([0]));
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, oneWay.edge, oneWay.fraction, oneWay.accessMeters), 100, workspace);
    expect(asRows(collector.collect(workspace, 100, oneWay))).toEqual([[3, 0.5, 0.75]]);
  });

  it('holds exactly the positions whose cost is within the cutoff, on random graphs', () => {
    const rng = createRng(4242);
    for (let trial = 0; trial < 25; trial++) {
      const nodes = rng.int(3, 60);
      const graph = buildRoadGraph(randomEdgeList(rng, { nodes, edges: rng.int(2, nodes * 2), oneWayShare: 0.3, zeroShare: 0.05 }));
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const collector = new ReachableEdgeCollector(graph);
      const sourceCount = rng.int(1, 3);
      const edge = Int32Array.from({ length: sourceCount }, () => rng.int(0, graph.edgeCount - 1));
      const fraction = Float64Array.from({ length: sourceCount }, () => rng.next());
      const access = Float64Array.from({ length: sourceCount }, () => rng.uniform(0, 30));
      const cutoff = rng.uniform(0, 800);
      const sources = new EdgeSourceIndex(graph.edgeCount, edge, fraction, access);
      computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), cutoff, workspace);
      const intervals = collector.collect(workspace, cutoff, sources);
      const inside = (e: number, f: number) => {
        for (let k = 0; k < intervals.count; k++) {
          if (intervals.edge[k] === e && intervals.start[k]! - 1e-9 <= f && f <= intervals.end[k]! + 1e-9) return true;
        }
        return false;
      };
      for (let e = 0; e < graph.edgeCount; e++) {
        for (let s = 0; s <= 20; s++) {
          const f = s / 20;
          const cost = costAtSnappedPosition(graph, workspace, e, f, sources);
          // Positions a hair away from the cutoff may fall either way by rounding.
          if (Math.abs(cost - cutoff) < 1e-6) continue;
          expect(inside(e, f), `trial ${trial}, edge ${e} at ${f}: cost ${cost}, cutoff ${cutoff}`).toBe(cost <= cutoff);
        }
      }
      // Intervals of one edge are disjoint.
      const rows = asRows(intervals);
      for (let k = 1; k < rows.length; k++) if (rows[k]![0] === rows[k - 1]![0]) expect(rows[k]![1]).toBeGreaterThan(rows[k - 1]![2]);
    }
  });
});
