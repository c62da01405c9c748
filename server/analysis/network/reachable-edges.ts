// The part of the network reachable within a cutoff after a search, edge by edge: whole edges, and the
// partial pieces at the cutoff (from a reached end as far as the remaining budget goes, and around a
// source sitting on the edge), merged into disjoint intervals of each edge (shares of its length).

import type { EdgeSourceIndex, NetworkCostWorkspace } from './network-costs';
import type { RoadGraph } from './road-graph';

/** Reachable intervals (struct of arrays): interval k covers shares start[k] … end[k] of edge[k]. */
export interface ReachableIntervals {
  count: number;
  edge: Uint32Array;
  start: Float64Array;
  end: Float64Array;
}

/**
 * Buffers for collecting the reachable intervals of one search, sized for a graph (reused across
 * searches; each collection costs O(arcs of the reached nodes)).
 */
export class ReachableEdgeCollector {
  /** Per edge: reached from edgeFrom up to this share (-1: not at all). */
  private readonly headShare: Float64Array;
  /** Per edge: reached from edgeTo down to this share (2: not at all). */
  private readonly tailShare: Float64Array;
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  private readonly seen: Uint8Array;

  constructor(private readonly graph: RoadGraph) {
    this.headShare = new Float64Array(graph.edgeCount).fill(-1);
    this.tailShare = new Float64Array(graph.edgeCount).fill(2);
    this.touched = new Uint32Array(graph.edgeCount);
    this.seen = new Uint8Array(graph.edgeCount);
  }

  /**
   * Every piece of the network whose cost is ≤ maxCostMeters after `computeNetworkCosts` filled
   * `workspace` with that cutoff (or a larger one). `sources` (optional) adds the stretch around each
   * source on its own edge, which matters when the cutoff ends before either end node.
   */
  collect(workspace: NetworkCostWorkspace, maxCostMeters: number, sources: EdgeSourceIndex | null = null): ReachableIntervals {
    const { offsets, arcEdge, edgeFrom, edgeTo, edgeLengthMeters, edgeDirection } = this.graph;
    const { costByNode, reached, reachedCount } = workspace;
    const headShare = this.headShare;
    const tailShare = this.tailShare;
    this.touchedCount = 0;
    for (let r = 0; r < reachedCount; r++) {
      const node = reached[r]!;
      const cost = costByNode[node]!;
      if (!(cost <= maxCostMeters)) continue;
      const budget = maxCostMeters - cost;
      for (let a = offsets[node]!, end = offsets[node + 1]!; a < end; a++) {
        const e = arcEdge[a]!;
        const length = edgeLengthMeters[e]!;
        const share = length > 0 ? Math.min(1, budget / length) : 1;
        this.touch(e);
        // An arc leaving edgeFrom walks the edge forwards, one leaving edgeTo backwards; a loop
        // (from = to) is walked from both of its ends.
        if (edgeFrom[e] === node && share > headShare[e]!) headShare[e] = share;
        if (edgeTo[e] === node && (edgeFrom[e] !== node || edgeDirection[e]! & 2) && 1 - share < tailShare[e]!) tailShare[e] = 1 - share;
      }
    }
    const sourceCount = sources ? sources.edge.length : 0;
    const sourceStart: number[] = [];
    const sourceEnd: number[] = [];
    const sourceEdge: number[] = [];
    for (let s = 0; s < sourceCount; s++) {
      const e = sources!.edge[s]!;
      if (e < 0) continue;
      const budget = maxCostMeters - sources!.accessMeters[s]!;
      if (!(budget >= 0)) continue;
      const length = edgeLengthMeters[e]!;
      const reach = length > 0 ? budget / length : 1;
      const f = sources!.fraction[s]!;
      const direction = edgeDirection[e]!;
      sourceEdge.push(e);
      sourceStart.push(direction & 2 ? Math.max(0, f - reach) : f);
      sourceEnd.push(direction & 1 ? Math.min(1, f + reach) : f);
      this.touch(e);
    }
    // Up to three intervals per edge: [0, head], [tail, 1] and those around sources; merged.
    const outEdge: number[] = [];
    const outStart: number[] = [];
    const outEnd: number[] = [];
    const bySourceEdge = new Map<number, number[]>();
    for (let k = 0; k < sourceEdge.length; k++) {
      const list = bySourceEdge.get(sourceEdge[k]!);
      if (list) list.push(k);
      else bySourceEdge.set(sourceEdge[k]!, [k]);
    }
    const pieces: [number, number][] = [];
    for (let t = 0; t < this.touchedCount; t++) {
      const e = this.touched[t]!;
      pieces.length = 0;
      if (headShare[e]! >= 0) pieces.push([0, headShare[e]!]);
      if (tailShare[e]! <= 1) pieces.push([tailShare[e]!, 1]);
      const onEdge = bySourceEdge.get(e);
      if (onEdge) for (const k of onEdge) pieces.push([sourceStart[k]!, sourceEnd[k]!]);
      pieces.sort((p, q) => p[0] - q[0]);
      let [start, end] = pieces[0]!;
      for (let p = 1; p <= pieces.length; p++) {
        if (p < pieces.length && pieces[p]![0] <= end) {
          if (pieces[p]![1] > end) end = pieces[p]![1];
          continue;
        }
        outEdge.push(e);
        outStart.push(start);
        outEnd.push(end);
        if (p < pieces.length) [start, end] = pieces[p]!;
      }
      headShare[e] = -1;
      tailShare[e] = 2;
      this.seen[e] = 0;
    }
    return {
      count: outEdge.length,
      edge: Uint32Array.from(outEdge),
      start: Float64Array.from(outStart),
      end: Float64Array.from(outEnd),
    };
  }

  private touch(e: number): void {
    if (this.seen[e] === 1) return;
    this.seen[e] = 1;
    this.touched[this.touchedCount++] = e;
  }
}
