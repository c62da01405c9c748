// Multi-source Dijkstra with a cutoff: hand-computed cases, Bellman-Ford on seeded random graphs (one-way
// edges, zero lengths, parallel edges, loops, several sources with starting costs), snapped starts and
// reaching points along edges, and workspace reuse.

import { describe, expect, it } from 'vitest';
import {
  EdgeSourceIndex,
  NetworkCostWorkspace,
  computeNetworkCosts,
  costAtEdgePosition,
  costAtSnappedPosition,
  seedsAtNodes,
  seedsAtSnappedPoints,
  type NetworkSeeds,
} from '../../../../server/analysis/network/network-costs';
import { DIRECTION_BOTH, DIRECTION_FORWARD, buildRoadGraph, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { bellmanFord, createRng, randomEdgeList } from './network-helpers';

/** A path 0 — 1 — 2 — 3 — 4 with lengths 100, 200, 300, 400, plus a one-way shortcut 4 → 0 of 50. */
function pathGraph(): RoadEdgeList {
  return {
    nodeLngLat: Float64Array.from([123.40, 41.8, 123.401, 41.8, 123.403, 41.8, 123.406, 41.8, 123.41, 41.8]),
    edgeFrom: Uint32Array.from([0, 1, 2, 3, 4]),
    edgeTo: Uint32Array.from([1, 2, 3, 4, 0]),
    edgeLengthMeters: Float64Array.from([100, 200, 300, 400, 50]),
    edgeDirection: Uint8Array.from([DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_BOTH, DIRECTION_FORWARD]),
  };
}

function costs(workspace: NetworkCostWorkspace, nodeCount: number): number[] {
  return Array.from({ length: nodeCount }, (_, n) => workspace.costByNode[n]!);
}

describe('computeNetworkCosts', () => {
  it('finds shortest costs within the cutoff, honouring one-way edges', () => {
    const graph = buildRoadGraph(pathGraph());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    computeNetworkCosts(graph, seedsAtNodes([4]), 10_000, workspace);
    // 4 → 0 by the one-way shortcut (50), then along the path.
    expect(costs(workspace, 5)).toEqual([50, 150, 350, 400, 0]);
    computeNetworkCosts(graph, seedsAtNodes([0]), 10_000, workspace);
    // The shortcut cannot be walked 0 → 4.
    expect(costs(workspace, 5)).toEqual([0, 100, 300, 600, 1000]);
    computeNetworkCosts(graph, seedsAtNodes([0]), 300, workspace);
    expect(costs(workspace, 5)).toEqual([0, 100, 300, Infinity, Infinity]);
    expect(workspace.reachedCount).toBe(3);
    expect(Array.from(workspace.reached.subarray(0, 3)).sort()).toEqual([0, 1, 2]);
  });

  it('labels each node with its nearest source and starts sources at their own costs', () => {
    const graph = buildRoadGraph(pathGraph());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const seeds: NetworkSeeds = { count: 2, node: Uint32Array.from([1, 3]), costMeters: Float64Array.from([0, 120]), source: Int32Array.from([7, 9]) };
    computeNetworkCosts(graph, seeds, 10_000, workspace);
    expect(costs(workspace, 5)).toEqual([100, 0, 200, 120, 520]);
    expect(Array.from(workspace.sourceByNode)).toEqual([7, 7, 7, 9, 9]);
    // A seed costlier than the cutoff is ignored.
    computeNetworkCosts(graph, { ...seeds, costMeters: Float64Array.from([0, 5000]) }, 1000, workspace);
    expect(workspace.sourceByNode[3]).toBe(7);
  });

  it('agrees with Bellman-Ford on seeded random graphs (one-way, zero-length, parallel edges, loops)', () => {
    const rng = createRng(20_240_4);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const nodes = rng.int(2, 120);
      const edges = randomEdgeList(rng, { nodes, edges: rng.int(1, nodes * 3), oneWayShare: rng.uniform(0, 0.6), zeroShare: 0.05 });
      const graph = buildRoadGraph(edges);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const sourceCount = rng.int(1, 4);
      const sourceNodes = Array.from({ length: sourceCount }, () => rng.int(0, nodes - 1));
      const sourceCosts = Array.from({ length: sourceCount }, () => (rng.chance(0.5) ? 0 : rng.uniform(0, 200)));
      const cutoff = rng.chance(0.2) ? Infinity : rng.uniform(0, 1500);
      const seeds: NetworkSeeds = {
        count: sourceCount,
        node: Uint32Array.from(sourceNodes),
        costMeters: Float64Array.from(sourceCosts),
        source: Int32Array.from(sourceNodes.map((_, i) => i)),
      };
      computeNetworkCosts(graph, seeds, cutoff, workspace);
      const oracle = bellmanFord(edges, sourceNodes, sourceCosts);
      for (let n = 0; n < nodes; n++) {
        const expected = oracle[n]! <= cutoff ? oracle[n]! : Infinity;
        const actual = workspace.costByNode[n]!;
        if (expected === Infinity) expect(actual, `trial ${trial} node ${n}`).toBe(Infinity);
        else expect(actual, `trial ${trial} node ${n}`).toBeCloseTo(expected, 9);
        compared++;
      }
      // Exactly the nodes within the cutoff are listed as reached, once each.
      const reached = Array.from(workspace.reached.subarray(0, workspace.reachedCount));
      expect(new Set(reached).size).toBe(reached.length);
      expect(reached.length).toBe(Array.from(oracle).filter((c) => c <= cutoff && c < Infinity).length);
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('agrees with Bellman-Ford where arcs are shorter than a bucket and seeds spread wider than the buckets span', () => {
    // Lengths over eight orders of magnitude (0.1 mm … 10 km) make the buckets wider than the shortest
    // arcs (rescans); seed costs up to 100 km lie far beyond one turn of the ring; several seeds may
    // share a node, and a seed may land on a node already queued at a higher cost.
    const rng = createRng(41);
    let rescanned = 0;
    for (let trial = 0; trial < 40; trial++) {
      const nodes = rng.int(2, 150);
      // Sparse graphs too: several components, some reached only from a costly seed.
      const edges = randomEdgeList(rng, { nodes, edges: rng.int(1, rng.chance(0.5) ? nodes : nodes * 4), oneWayShare: rng.uniform(0, 0.5), zeroShare: 0.05 });
      for (let e = 0; e < edges.edgeLengthMeters.length; e++) {
        if (edges.edgeLengthMeters[e]! > 0) edges.edgeLengthMeters[e] = 10 ** rng.uniform(-4, 4);
      }
      const graph = buildRoadGraph(edges);
      const workspace = new NetworkCostWorkspace(graph.nodeCount);
      const sourceCount = rng.int(1, 12);
      const sourceNodes = Array.from({ length: sourceCount }, () => rng.int(0, rng.chance(0.5) ? Math.min(nodes - 1, 5) : nodes - 1));
      const sourceCosts = Array.from({ length: sourceCount }, () => (rng.chance(0.3) ? 0 : 10 ** rng.uniform(-3, 5)));
      const cutoff = rng.chance(0.4) ? Infinity : 10 ** rng.uniform(1, 5.3);
      const seeds: NetworkSeeds = {
        count: sourceCount,
        node: Uint32Array.from(sourceNodes),
        costMeters: Float64Array.from(sourceCosts),
        source: Int32Array.from(sourceNodes.map((_, i) => i)),
      };
      computeNetworkCosts(graph, seeds, cutoff, workspace);
      if (workspace.bucketWidthMeters > 1e-4) rescanned++;
      const oracle = bellmanFord(edges, sourceNodes, sourceCosts);
      // Each source alone, to check that a node's reported source is one of its nearest.
      const bySource = sourceNodes.map((node, i) => bellmanFord(edges, [node], [sourceCosts[i]!]));
      for (let n = 0; n < nodes; n++) {
        const expected = oracle[n]! <= cutoff ? oracle[n]! : Infinity;
        const actual = workspace.costByNode[n]!;
        if (expected === Infinity) {
          expect(actual, `trial ${trial} node ${n}`).toBe(Infinity);
          expect(workspace.sourceByNode[n]).toBe(-1);
        } else {
          expect(actual, `trial ${trial} node ${n}`).toBeCloseTo(expected, 6);
          expect(bySource[workspace.sourceByNode[n]!]![n], `trial ${trial} node ${n} source`).toBeCloseTo(expected, 6);
        }
      }
      const reached = Array.from(workspace.reached.subarray(0, workspace.reachedCount));
      expect(new Set(reached).size).toBe(reached.length);
      expect(reached.length).toBe(Array.from(oracle).filter((c) => c <= cutoff && c < Infinity).length);
    }
    expect(rescanned).toBeGreaterThan(20);
  });

  it('starts a costly seed when the search gets to it, also far beyond one turn of the ring', () => {
    // Two separate streets; arcs of 1 mm and 10 km make 65,536 buckets span about 10 km.
    const edges: RoadEdgeList = {
      nodeLngLat: Float64Array.from([123.4, 41.8, 123.5, 41.8, 123.4, 41.9, 123.4001, 41.9, 123.5, 41.9]),
      edgeFrom: Uint32Array.from([0, 2, 3]),
      edgeTo: Uint32Array.from([1, 3, 4]),
      edgeLengthMeters: Float64Array.from([10_000, 0.001, 300]),
    };
    const graph = buildRoadGraph(edges);
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const seeds: NetworkSeeds = { count: 2, node: Uint32Array.from([0, 2]), costMeters: Float64Array.from([0, 50_000]), source: Int32Array.from([0, 1]) };
    computeNetworkCosts(graph, seeds, Infinity, workspace);
    expect(costs(workspace, 5)).toEqual([0, 10_000, 50_000, 50_000.001, 50_300.001]);
    expect(Array.from(workspace.sourceByNode)).toEqual([0, 0, 1, 1, 1]);
    computeNetworkCosts(graph, seeds, 50_100, workspace);
    expect(costs(workspace, 5)).toEqual([0, 10_000, 50_000, 50_000.001, Infinity]);
  });

  it('forgets the previous search when the workspace is reused', () => {
    const graph = buildRoadGraph(pathGraph());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    computeNetworkCosts(graph, seedsAtNodes([0]), 10_000, workspace);
    computeNetworkCosts(graph, seedsAtNodes([2]), 150, workspace);
    expect(costs(workspace, 5)).toEqual([Infinity, Infinity, 0, Infinity, Infinity]);
    expect(Array.from(workspace.sourceByNode)).toEqual([-1, -1, 0, -1, -1]);
  });
});

describe('snapped starts and positions along edges', () => {
  it('seeds both ends of a snapped point with its distance along the edge plus its access walk', () => {
    const graph = buildRoadGraph(pathGraph());
    // A point a quarter along edge 1 (1 → 2, 200 m), 12 m off the street.
    const seeds = seedsAtSnappedPoints(graph, Int32Array.from([1]), Float64Array.from([0.25]), Float64Array.from([12]));
    expect(seeds.count).toBe(2);
    expect(Array.from(seeds.node.subarray(0, 2))).toEqual([2, 1]);
    expect(Array.from(seeds.costMeters.subarray(0, 2))).toEqual([12 + 150, 12 + 50]);
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    computeNetworkCosts(graph, seeds, 10_000, workspace);
    expect(costs(workspace, 5)).toEqual([162, 62, 162, 462, 862]);
    // On a one-way edge only the end ahead is seeded; unsnapped points give no seed.
    const oneWay = seedsAtSnappedPoints(graph, Int32Array.from([4, -1]), Float64Array.from([0.5, 0]));
    expect(oneWay.count).toBe(1);
    expect(oneWay.node[0]).toBe(0);
    expect(oneWay.costMeters[0]).toBe(25);
  });

  it('costs a position on an edge through its ends, or along the edge from a source on it', () => {
    const graph = buildRoadGraph(pathGraph());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const edge = Int32Array.from([2]);
    const fraction = Float64Array.from([0.5]);
    const access = Float64Array.from([0]);
    // Cutoff 100: neither end of edge 2 (300 m long, source in its middle) is reached.
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), 100, workspace);
    expect(workspace.reachedCount).toBe(0);
    expect(costAtEdgePosition(graph, workspace, 2, 0.6)).toBe(Infinity);
    const sources = new EdgeSourceIndex(graph.edgeCount, edge, fraction, access);
    expect(costAtSnappedPosition(graph, workspace, 2, 0.6, sources)).toBeCloseTo(30, 9);
    expect(costAtSnappedPosition(graph, workspace, 2, 0.4, sources)).toBeCloseTo(30, 9);
    expect(costAtSnappedPosition(graph, workspace, 1, 0.4, sources)).toBe(Infinity);
    // With a larger cutoff the ends are reached and the cheaper way wins.
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), 10_000, workspace);
    expect(costAtEdgePosition(graph, workspace, 1, 0.5)).toBeCloseTo(150 + 100, 9);
    expect(costAtSnappedPosition(graph, workspace, 2, 0.9, sources)).toBeCloseTo(120, 9);
  });

  it('walks a one-way edge from a source on it only forwards', () => {
    const graph = buildRoadGraph(pathGraph());
    const workspace = new NetworkCostWorkspace(graph.nodeCount);
    const edge = Int32Array.from([4]);
    const fraction = Float64Array.from([0.5]);
    const access = Float64Array.from([0]);
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, access), 20, workspace);
    const sources = new EdgeSourceIndex(graph.edgeCount, edge, fraction, access);
    expect(costAtSnappedPosition(graph, workspace, 4, 0.7, sources)).toBeCloseTo(10, 9);
    expect(costAtSnappedPosition(graph, workspace, 4, 0.3, sources)).toBe(Infinity);
  });
});
