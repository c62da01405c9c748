// Network edits as an overlay on a read-only CSR graph: the overlay search against Bellman-Ford on the
// edited graph rebuilt from scratch (cut edges dropped, split edges replaced by their pieces, links
// added) on seeded random graphs and edits; and a hand-made river crossing where a footbridge brings
// homes within 15 minutes of a facility and a cut on the only path takes them out again.

import { describe, expect, it } from 'vitest';
import { NetworkCostWorkspace, computeNetworkCosts, seedsAtNodes } from '../../../../server/analysis/network/network-costs';
import {
  buildNetworkOverlay,
  computeOverlayCosts,
  createOverlayWorkspace,
  edgePointLngLat,
  overlayCostAtEdgePosition,
  overlayNodeOf,
  type NetworkOverlayEdits,
  type NetworkPoint,
} from '../../../../server/analysis/network/network-overlay';
import { haversineMeters } from '../../../../server/analysis/network/polyline-network';
import { DIRECTION_BOTH, buildRoadGraph, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { CoverageCounts } from '../../../../server/analysis/siting/coverage-counts';
import { createNetworkCoverageProvider } from '../../../../server/analysis/siting/network-coverage-provider';
import { bellmanFord, createRng, randomEdgeList } from './network-helpers';

/** The edited graph built from scratch: split points appended as nodes in the overlay's order. */
function rebuiltEdgeList(edges: RoadEdgeList, overlay: ReturnType<typeof buildNetworkOverlay>, edits: NetworkOverlayEdits): RoadEdgeList {
  const nodeCount = overlay.nodeCount;
  const nodeLngLat = new Float64Array(nodeCount * 2);
  nodeLngLat.set(edges.nodeLngLat);
  const from: number[] = [];
  const to: number[] = [];
  const length: number[] = [];
  const direction: number[] = [];
  const base = edges.nodeLngLat.length / 2;
  for (let e = 0; e < edges.edgeFrom.length; e++) {
    if (overlay.edgeCut[e]) continue;
    const splits = [...(overlay.splitsByEdge.get(e) ?? [])].sort((a, b) => overlay.splitFraction[a - base]! - overlay.splitFraction[b - base]!);
    const chain = [edges.edgeFrom[e]!, ...splits, edges.edgeTo[e]!];
    const at = (k: number) => (k === 0 ? 0 : k === chain.length - 1 ? 1 : overlay.splitFraction[chain[k]! - base]!);
    for (let k = 0; k + 1 < chain.length; k++) {
      from.push(chain[k]!);
      to.push(chain[k + 1]!);
      length.push((at(k + 1) - at(k)) * edges.edgeLengthMeters[e]!);
      direction.push(edges.edgeDirection![e]!);
    }
  }
  for (const link of edits.links) {
    from.push(overlayNodeOf(overlay, link.from));
    to.push(overlayNodeOf(overlay, link.to));
    length.push(link.lengthMeters);
    direction.push(DIRECTION_BOTH);
  }
  return {
    nodeLngLat,
    edgeFrom: Uint32Array.from(from),
    edgeTo: Uint32Array.from(to),
    edgeLengthMeters: Float64Array.from(length),
    edgeDirection: Uint8Array.from(direction),
  };
}

describe('computeOverlayCosts', () => {
  it('equals Bellman-Ford on the edited graph rebuilt from scratch (50 seeded random graphs and edits)', () => {
    // Reached nodes compared, and those whose cost the edits changed (so the cases do exercise them).
    let reached = 0;
    let changed = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const rng = createRng(seed);
      const nodes = rng.int(8, 60);
      const edges = randomEdgeList(rng, { nodes, edges: rng.int(nodes, 3 * nodes), oneWayShare: 0.2, zeroShare: 0.05 });
      const graph = buildRoadGraph(edges);
      const edgeCount = edges.edgeFrom.length;
      const point = (): NetworkPoint =>
        rng.chance(0.4) ? { node: rng.int(0, nodes - 1) } : { edge: rng.int(0, edgeCount - 1), fraction: Math.round(rng.uniform(0.01, 0.99) * 1000) / 1000 };
      const cutEdges = [...new Set(Array.from({ length: rng.int(0, 4) }, () => rng.int(0, edgeCount - 1)))];
      const links = Array.from({ length: rng.int(0, 4) }, () => ({ from: point(), to: point(), lengthMeters: Math.round(rng.uniform(0, 600) * 1000) / 1000 }));
      const edits = { cutEdges, links };
      const overlay = buildNetworkOverlay(graph, edits);
      const rebuilt = rebuiltEdgeList(edges, overlay, edits);
      const workspace = createOverlayWorkspace(graph, 16);
      for (let trial = 0; trial < 3; trial++) {
        const start = rng.int(0, overlay.nodeCount - 1);
        const cutoff = rng.uniform(100, 1500);
        computeOverlayCosts(overlay, seedsAtNodes([start]), cutoff, workspace);
        const oracle = bellmanFord(rebuilt, [start], [0]);
        const unedited = start < nodes ? bellmanFord(edges, [start], [0]) : null;
        for (let n = 0; n < overlay.nodeCount; n++) {
          if (oracle[n]! <= cutoff) reached++;
          if (unedited && n < nodes && Math.abs(Math.min(oracle[n]!, cutoff) - Math.min(unedited[n]!, cutoff)) > 1e-6) changed++;
          const expected = oracle[n]! <= cutoff ? oracle[n]! : Infinity;
          // Pieces of a split edge sum to its length up to rounding: within a micrometre.
          if (Math.abs(expected - cutoff) < 1e-6) continue;
          const actual = workspace.costByNode[n]!;
          if (expected === Infinity) expect(actual, `seed ${seed}, node ${n}`).toBe(Infinity);
          else expect(actual, `seed ${seed}, node ${n}`).toBeCloseTo(expected, 6);
        }
      }
    }
    expect(reached).toBeGreaterThan(1000);
    expect(changed).toBeGreaterThan(100);
  });

  it('without edits, gives the graph search float for float (and leaves the ring wide enough for long links)', () => {
    const rng = createRng(7);
    const edges = randomEdgeList(rng, { nodes: 200, edges: 600, oneWayShare: 0.1 });
    const graph = buildRoadGraph(edges);
    const plain = computeNetworkCosts(graph, seedsAtNodes([0, 5]), 2000, new NetworkCostWorkspace(graph.nodeCount));
    const empty = buildNetworkOverlay(graph, { cutEdges: [], links: [] });
    const overlaid = computeOverlayCosts(empty, seedsAtNodes([0, 5]), 2000, createOverlayWorkspace(graph, 0));
    expect(Array.from(overlaid.costByNode)).toEqual(Array.from(plain.costByNode));
    // A link far longer than any edge (buckets are sized for the graph's arcs).
    const long = buildNetworkOverlay(graph, { cutEdges: [], links: [{ from: { node: 0 }, to: { node: 199 }, lengthMeters: 5000 }] });
    const far = computeOverlayCosts(long, seedsAtNodes([0]), 100_000, createOverlayWorkspace(graph, 0));
    const oracle = bellmanFord(rebuiltEdgeList(edges, long, { cutEdges: [], links: [{ from: { node: 0 }, to: { node: 199 }, lengthMeters: 5000 }] }), [0], [0]);
    for (let n = 0; n < graph.nodeCount; n++) expect(far.costByNode[n]).toBeCloseTo(oracle[n]!, 6);
  });
});

describe('a footbridge across a river, and a cut on the only path', () => {
  // West street W0 (41.800) — Wm (41.801) — W1 (41.810) at 123.400; east street E0 (41.800) — E1 (41.810)
  // at 123.402, about 166 m across the river; the only crossing joins W1 and E1 at the north end.
  const lng = { west: 123.4, east: 123.402 };
  const nodeLngLat = Float64Array.from([lng.west, 41.8, lng.west, 41.801, lng.west, 41.81, lng.east, 41.8, lng.east, 41.81]);
  const [W0, Wm, W1, E0, E1] = [0, 1, 2, 3, 4];
  const pairs = [
    [W0, Wm],
    [Wm, W1],
    [W1, E1],
    [E0, E1],
  ] as const;
  const edges: RoadEdgeList = {
    nodeLngLat,
    edgeFrom: Uint32Array.from(pairs.map(([a]) => a)),
    edgeTo: Uint32Array.from(pairs.map(([, b]) => b)),
    edgeLengthMeters: Float64Array.from(pairs.map(([a, b]) => haversineMeters(nodeLngLat[2 * a]!, nodeLngLat[2 * a + 1]!, nodeLngLat[2 * b]!, nodeLngLat[2 * b + 1]!))),
  };
  const graph = buildRoadGraph(edges);
  // Homes: on the west street at 41.8005 (70, on W0–Wm) and 41.8020 (50); on the east street at 41.8005 (100), 41.8015 (200), 41.8030 (300).
  const homes = [
    [lng.west, 41.8005, 70],
    [lng.west, 41.802, 50],
    [lng.east, 41.8005, 100],
    [lng.east, 41.8015, 200],
    [lng.east, 41.803, 300],
  ] as const;
  const provider = createNetworkCoverageProvider(graph, Float64Array.from(homes.flatMap(([x, y]) => [x, y])));
  const population = Float64Array.from(homes.map(([, , people]) => people));
  // The facility on Wm–W1 at 41.8015: the east homes lie 2 km away round the north crossing.
  const facility = Float64Array.of(lng.west, 41.8015);
  const covered = (demandIndex: Uint32Array) => {
    const counts = new CoverageCounts(population);
    counts.add(demandIndex, 0, demandIndex.length);
    return counts.coveredWeight;
  };
  const W0_Wm = 0;
  const bridge = { from: { node: W0 }, to: { node: E0 }, lengthMeters: haversineMeters(lng.west, 41.8, lng.east, 41.8) };

  it('covers only the west homes without the bridge (15 minutes = 1,000 m at 4 km/h)', () => {
    expect(covered(provider.siteCosts(facility, 15).demandIndex)).toBe(120);
    const none = buildNetworkOverlay(graph, { cutEdges: [], links: [] });
    const same = provider.siteCostsOnOverlay(facility, 15, none);
    const plain = provider.siteCosts(facility, 15);
    expect(Array.from(same.demandIndex)).toEqual(Array.from(plain.demandIndex));
    expect(Array.from(same.cost)).toEqual(Array.from(plain.cost));
  });

  it('a footbridge W0 → E0 brings the east homes within reach: 120 → 720 residents, at hand-computed minutes', () => {
    const overlay = buildNetworkOverlay(graph, { cutEdges: [], links: [bridge] });
    const costs = provider.siteCostsOnOverlay(facility, 15, overlay);
    expect(covered(costs.demandIndex)).toBe(720);
    // Facility → Wm → W0 → bridge → E0 → home at 41.8005 (east), metres / (4000 / 60).
    const metres = (a: number, b: number) => haversineMeters(lng.west, a, lng.west, b);
    const expected = metres(41.8015, 41.801) + metres(41.801, 41.8) + bridge.lengthMeters + metres(41.8, 41.8005);
    const row = Array.from(costs.demandIndex).indexOf(2);
    expect(costs.cost[row]! * (4000 / 60)).toBeCloseTo(expected, 0);
  });

  it('a footbridge between points along the streets splits both edges and works the same', () => {
    const from = { edge: W0_Wm, fraction: 0.2 };
    const to = { edge: 3, fraction: 0.02 };
    const overlay = buildNetworkOverlay(graph, { cutEdges: [], links: [{ from, to, lengthMeters: 167 }] });
    expect(overlay.nodeCount).toBe(graph.nodeCount + 2);
    expect(covered(provider.siteCostsOnOverlay(facility, 15, overlay).demandIndex)).toBe(720);
    // The split point lies on the drawn edge at that share.
    const [x, y] = edgePointLngLat(graph, W0_Wm, 0.2);
    expect(x).toBeCloseTo(lng.west, 9);
    expect(y).toBeCloseTo(41.8002, 6);
    // A position along a split edge is reached from its split node.
    const workspace = createOverlayWorkspace(graph, 4);
    computeOverlayCosts(overlay, seedsAtNodes([overlayNodeOf(overlay, to)]), 5000, workspace);
    expect(overlayCostAtEdgePosition(overlay, workspace, 3, 0.05)).toBeCloseTo(0.03 * graph.edgeLengthMeters[3]!, 6);
  });

  it('cutting W0–Wm, the only way to the bridge, takes the east homes out again; the home on the cut edge steps out at Wm', () => {
    const overlay = buildNetworkOverlay(graph, { cutEdges: [W0_Wm], links: [bridge] });
    const costs = provider.siteCostsOnOverlay(facility, 15, overlay);
    expect(covered(costs.demandIndex)).toBe(120);
    expect(Array.from(costs.demandIndex).sort()).toEqual([0, 1]);
  });
});
