// A brute-force oracle for walks between two places on a road graph: Dijkstra with a binary heap over
// the edge list (not the CSR arcs the searches use), from a virtual node at the origin's snapped
// position, read at each target's snapped position (its edge's ends, or along the origin's own edge).

import type { EdgeSnapper } from '../../server/analysis/network/edge-snapper';
import { DIRECTION_BACKWARD, DIRECTION_FORWARD, type RoadGraph } from '../../server/analysis/network/road-graph';

/** Shortest costs (metres) from the seeds to every node, Infinity where unreachable. */
export function heapDijkstra(graph: RoadGraph, seeds: readonly { node: number; cost: number }[]): Float64Array {
  const n = graph.nodeCount;
  // Adjacency from the edge list, by direction.
  const adjacency: { to: number; length: number }[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < graph.edgeCount; e++) {
    const [a, b, length, direction] = [graph.edgeFrom[e]!, graph.edgeTo[e]!, graph.edgeLengthMeters[e]!, graph.edgeDirection[e]!];
    if (direction & DIRECTION_FORWARD) adjacency[a]!.push({ to: b, length });
    if (direction & DIRECTION_BACKWARD) adjacency[b]!.push({ to: a, length });
  }
  const cost = new Float64Array(n).fill(Infinity);
  const heap: [number, number][] = [];
  const push = (item: [number, number]) => {
    heap.push(item);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]![0] <= heap[i]![0]) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let smallest = i;
        if (l < heap.length && heap[l]![0] < heap[smallest]![0]) smallest = l;
        if (r < heap.length && heap[r]![0] < heap[smallest]![0]) smallest = r;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return top;
  };
  for (const seed of seeds) {
    if (seed.cost < cost[seed.node]!) {
      cost[seed.node] = seed.cost;
      push([seed.cost, seed.node]);
    }
  }
  while (heap.length > 0) {
    const [c, node] = pop();
    if (c > cost[node]!) continue;
    for (const { to, length } of adjacency[node]!) {
      if (c + length < cost[to]!) {
        cost[to] = c + length;
        push([c + length, to]);
      }
    }
  }
  return cost;
}

/** Walking metres from an origin to targets as walkingMetersFrom defines them, by heapDijkstra (no cutoff). */
export function bruteForceWalkingMeters(graph: RoadGraph, snapper: EdgeSnapper, origin: readonly [number, number], targetsLngLat: Float64Array, maxSnapMeters: number): Float64Array {
  const count = targetsLngLat.length / 2;
  const out = new Float64Array(count).fill(NaN);
  const from = snapper.snapLngLat(origin, maxSnapMeters);
  const e0 = from.edge[0]!;
  if (e0 < 0) return out;
  const [f0, access0, length0, direction0] = [from.fraction[0]!, from.distanceMeters[0]!, graph.edgeLengthMeters[e0]!, graph.edgeDirection[e0]!];
  const seeds: { node: number; cost: number }[] = [];
  if (direction0 & DIRECTION_FORWARD) seeds.push({ node: graph.edgeTo[e0]!, cost: access0 + (1 - f0) * length0 });
  if (direction0 & DIRECTION_BACKWARD) seeds.push({ node: graph.edgeFrom[e0]!, cost: access0 + f0 * length0 });
  const cost = heapDijkstra(graph, seeds);
  const to = snapper.snapLngLat(targetsLngLat, maxSnapMeters);
  for (let i = 0; i < count; i++) {
    const e = to.edge[i]!;
    if (e < 0) continue;
    const [f, length, direction] = [to.fraction[i]!, graph.edgeLengthMeters[e]!, graph.edgeDirection[e]!];
    let best = Infinity;
    if (direction & DIRECTION_FORWARD) best = Math.min(best, cost[graph.edgeFrom[e]!]! + f * length);
    if (direction & DIRECTION_BACKWARD) best = Math.min(best, cost[graph.edgeTo[e]!]! + (1 - f) * length);
    if (e === e0) {
      const along = f - f0;
      if ((along >= 0 && direction & DIRECTION_FORWARD) || (along <= 0 && direction & DIRECTION_BACKWARD)) best = Math.min(best, access0 + Math.abs(along) * length);
    }
    out[i] = best + to.distanceMeters[i]!;
  }
  return out;
}
