// Shortest walking costs from many sources at once, with a cutoff: a label-correcting search on the
// CSR graph over a circular array of cost buckets (Dial 1969, with buckets as wide as the shortest arc
// as in Cherkassky, Goldberg & Radzik 1996), seeded with starting costs at nodes (a point on an edge
// seeds both ends with its distance along the edge). Where every arc is at least one bucket long,
// a bucket's nodes are final when it is reached, so each node is scanned once, as in Dijkstra, without
// a heap's log factor; shorter arcs only cause rescans. The result is the same float for float as
// Dijkstra's. Costs are metres; a travel time is the same search with maxMinutes × speed as the cutoff.

import type { RoadGraph } from './road-graph';

/** Starting nodes with their initial cost (metres) and the source (origin) they belong to. */
export interface NetworkSeeds {
  count: number;
  node: Uint32Array;
  costMeters: Float64Array;
  /** Index of the origin each seed stands for (reported per reached node as its nearest source). */
  source: Int32Array;
}

/** Buckets in the circular array at most (bucket width grows for graphs with very long arcs). */
const MAX_BUCKETS = 1 << 16;
/** Buckets in the circular array at least, so seeds spread over a few kilometres go in all at once. */
const MIN_BUCKETS = 1 << 12;

/**
 * Reusable buffers of one search, sized for a graph. After `computeNetworkCosts`, nodes
 * reached[0 … reachedCount - 1] hold their cost and nearest source; every other node is Infinity / -1.
 */
export class NetworkCostWorkspace {
  readonly costByNode: Float64Array;
  readonly sourceByNode: Int32Array;
  readonly reached: Uint32Array;
  reachedCount = 0;
  /** 1 while a node waits in a bucket to be scanned. */
  readonly queuedByNode: Uint8Array;
  /** Bucket entries, a pool of singly linked list cells (node, next cell or -1); grows on demand. */
  entryNode: Uint32Array;
  entryNext: Int32Array;
  /** Free cells (a list through entryNext) and cells ever handed out. */
  entryFree = -1;
  entryUsed = 0;
  /** Cells in the buckets (stale ones included). */
  queuedCount = 0;
  /** First entry of each bucket slot (-1: empty); bucket b (slot b mod count) holds costs in [b·width, (b + 1)·width). */
  bucketHead: Int32Array = new Int32Array(0);
  bucketWidthMeters = 1;
  /** Buckets a relaxation can land ahead of the current one (the longest arc, rounded up, plus one). */
  bucketReach = 1;
  /** 1 / bucketWidthMeters: a cost times this, floored, is its bucket. */
  perMeter = 1;
  /** The graph the buckets were sized for. */
  private bucketGraph: RoadGraph | null = null;
  /** The seeds of the search within the cutoff, in the order they enter it (planSeeds), and the next to enter. */
  private seedOrder: Uint32Array = new Uint32Array(0);
  private seedCount = 0;
  private nextSeed = 0;
  /** Whether every seed went on the ring at the start (their buckets and reach fit in it at once). */
  private seedsAtOnce = true;

  constructor(nodeCount: number) {
    this.costByNode = new Float64Array(nodeCount).fill(Infinity);
    this.sourceByNode = new Int32Array(nodeCount).fill(-1);
    this.reached = new Uint32Array(nodeCount);
    this.queuedByNode = new Uint8Array(nodeCount);
    this.entryNode = new Uint32Array(nodeCount + 16);
    this.entryNext = new Int32Array(nodeCount + 16);
  }

  /** Forgets the last search (O(nodes it reached)). */
  reset(): void {
    for (let i = 0; i < this.reachedCount; i++) {
      const node = this.reached[i]!;
      this.costByNode[node] = Infinity;
      this.sourceByNode[node] = -1;
      this.queuedByNode[node] = 0;
    }
    this.reachedCount = 0;
    this.entryFree = -1;
    this.entryUsed = 0;
    this.queuedCount = 0;
    this.bucketHead.fill(-1);
  }

  /**
   * Sizes the buckets for a graph (once per graph): as wide as its shortest arc of positive length,
   * or wider where MAX_BUCKETS would not span its longest arc; enough of them that every queued cost
   * (between the current bucket's and that plus the longest arc) has a slot of its own.
   */
  prepareBuckets(graph: RoadGraph): void {
    if (this.bucketGraph === graph) return;
    let longest = 0;
    let shortest = Infinity;
    const lengths = graph.lengthMeters;
    for (let a = 0; a < lengths.length; a++) {
      const length = lengths[a]!;
      if (length > longest) longest = length;
      if (length > 0 && length < shortest) shortest = length;
    }
    const width = longest > 0 ? Math.max(shortest, longest / (MAX_BUCKETS - 4)) : 1;
    this.bucketReach = Math.ceil(longest / width) + 2;
    let count = MIN_BUCKETS;
    while (count < this.bucketReach + 2) count *= 2;
    this.bucketHead = new Int32Array(count).fill(-1);
    this.bucketWidthMeters = width;
    this.perMeter = 1 / width;
    this.bucketGraph = graph;
  }

  /**
   * Schedules `seeds` for a search with a cutoff (those above it never enter) and answers the first
   * bucket. When their buckets and what they reach fit in the ring at once they all go in first;
   * otherwise each enters when the search reaches its bucket, cheapest first.
   */
  planSeeds(seeds: NetworkSeeds, maxCostMeters: number): number {
    if (this.seedOrder.length < seeds.count) this.seedOrder = new Uint32Array(seeds.count);
    const order = this.seedOrder;
    let count = 0;
    let lowest = Infinity;
    let highest = -Infinity;
    for (let i = 0; i < seeds.count; i++) {
      const cost = seeds.costMeters[i]!;
      if (!(cost <= maxCostMeters && cost < Infinity)) continue;
      order[count++] = i;
      const bucket = Math.floor(cost * this.perMeter);
      if (bucket < lowest) lowest = bucket;
      if (bucket > highest) highest = bucket;
    }
    this.seedCount = count;
    this.nextSeed = 0;
    this.seedsAtOnce = highest - lowest + this.bucketReach < this.bucketHead.length;
    if (!this.seedsAtOnce) order.subarray(0, count).sort((i, j) => seeds.costMeters[i]! - seeds.costMeters[j]!);
    return lowest;
  }

  /** Whether the search has more to do: nodes queued, or seeds still to enter. */
  searching(): boolean {
    return this.queuedCount > 0 || this.nextSeed < this.seedCount;
  }

  /**
   * The bucket to scan next after `bucket`'s predecessor: `bucket`, or, when the ring ran empty and seeds
   * enter by cost, the next seed's. Then the seeds whose bucket has come go on the ring.
   */
  admitSeeds(seeds: NetworkSeeds, bucket: number): number {
    if (this.queuedCount === 0 && !this.seedsAtOnce && this.nextSeed < this.seedCount) {
      bucket = Math.floor(seeds.costMeters[this.seedOrder[this.nextSeed]!]! * this.perMeter);
    }
    for (; this.nextSeed < this.seedCount; this.nextSeed++) {
      const i = this.seedOrder[this.nextSeed]!;
      const cost = seeds.costMeters[i]!;
      if (!this.seedsAtOnce && Math.floor(cost * this.perMeter) > bucket) break;
      this.improve(seeds.node[i]!, cost, seeds.source[i]!);
    }
    return bucket;
  }

  /**
   * Gives `node` the cost `cost` (metres) from `source` when that is cheaper than what it has, and queues
   * it in the cost's bucket (a cell waiting in that bucket already stays valid).
   */
  improve(node: number, cost: number, source: number): void {
    const old = this.costByNode[node]!;
    if (!(cost < old)) return;
    if (old === Infinity) this.reached[this.reachedCount++] = node;
    this.costByNode[node] = cost;
    this.sourceByNode[node] = source;
    const bucket = Math.floor(cost * this.perMeter);
    if (this.queuedByNode[node] === 1 && Math.floor(old * this.perMeter) === bucket) return;
    this.enqueue(node, bucket);
  }

  /**
   * The next node of `bucket` to scan, its cell back on the free list, or -1 when the bucket is empty.
   * Cells left behind by a node that moved to a cheaper bucket, or was scanned, are dropped. Nodes put in
   * this very bucket while it is scanned (arcs shorter than a bucket) come out too.
   */
  takeFromBucket(bucket: number): number {
    const slot = bucket & (this.bucketHead.length - 1);
    const { bucketHead, entryNode, entryNext, queuedByNode, costByNode } = this;
    for (let cell = bucketHead[slot]!; cell >= 0; cell = bucketHead[slot]!) {
      bucketHead[slot] = entryNext[cell]!;
      entryNext[cell] = this.entryFree;
      this.entryFree = cell;
      this.queuedCount--;
      const node = entryNode[cell]!;
      if (queuedByNode[node] === 0 || Math.floor(costByNode[node]! * this.perMeter) !== bucket) continue;
      queuedByNode[node] = 0;
      return node;
    }
    return -1;
  }

  /** Puts `node` in `bucket` (a cell from the free list, or the pool grown twofold). */
  enqueue(node: number, bucket: number): void {
    let cell = this.entryFree;
    if (cell >= 0) this.entryFree = this.entryNext[cell]!;
    else {
      if (this.entryUsed === this.entryNode.length) {
        const node = new Uint32Array(this.entryUsed * 2);
        node.set(this.entryNode);
        const next = new Int32Array(this.entryUsed * 2);
        next.set(this.entryNext);
        this.entryNode = node;
        this.entryNext = next;
      }
      cell = this.entryUsed++;
    }
    const slot = bucket & (this.bucketHead.length - 1);
    this.entryNode[cell] = node;
    this.entryNext[cell] = this.bucketHead[slot]!;
    this.bucketHead[slot] = cell;
    this.queuedByNode[node] = 1;
    this.queuedCount++;
  }
}

/** Seeds for single nodes: seed i at nodes[i] with cost 0 and source i. */
export function seedsAtNodes(nodes: ArrayLike<number>): NetworkSeeds {
  const count = nodes.length;
  const node = new Uint32Array(count);
  for (let i = 0; i < count; i++) node[i] = nodes[i]!;
  return { count, node, costMeters: new Float64Array(count), source: Int32Array.from({ length: count }, (_, i) => i) };
}

/**
 * Multi-source shortest costs with a cutoff: fills `workspace` with, for every node whose cheapest cost
 * from any seed is ≤ maxCostMeters, that cost (metres) and the source of the seed it comes from (ties
 * between sources go to either, deterministically). O(V + E + cutoff / bucket width) over the part of
 * the graph within the cutoff when no arc is shorter than a bucket (see the module comment).
 */
export function computeNetworkCosts(
  graph: RoadGraph,
  seeds: NetworkSeeds,
  maxCostMeters: number,
  workspace: NetworkCostWorkspace,
): NetworkCostWorkspace {
  workspace.prepareBuckets(graph);
  workspace.reset();
  const { offsets, targets, lengthMeters } = graph;
  const { costByNode } = workspace;
  for (let bucket = workspace.planSeeds(seeds, maxCostMeters); workspace.searching(); bucket++) {
    bucket = workspace.admitSeeds(seeds, bucket);
    for (let node = workspace.takeFromBucket(bucket); node >= 0; node = workspace.takeFromBucket(bucket)) {
      const cost = costByNode[node]!;
      const source = workspace.sourceByNode[node]!;
      for (let a = offsets[node]!, end = offsets[node + 1]!; a < end; a++) {
        const next = cost + lengthMeters[a]!;
        if (next <= maxCostMeters) workspace.improve(targets[a]!, next, source);
      }
    }
  }
  return workspace;
}

/**
 * Seeds for points snapped onto edges: point i on edge e at share f of its length L seeds edgeTo[e]
 * with (1 - f)·L where the edge may be walked forward, and edgeFrom[e] with f·L where it may be walked
 * backward, each plus `accessMeters[i]` (the walk from the point to the network; 0 when absent).
 * Points that did not snap (edge -1) give no seed.
 */
export function seedsAtSnappedPoints(
  graph: RoadGraph,
  edge: Int32Array,
  fraction: Float64Array,
  accessMeters?: Float64Array,
): NetworkSeeds {
  const count = edge.length;
  const node = new Uint32Array(count * 2);
  const costMeters = new Float64Array(count * 2);
  const source = new Int32Array(count * 2);
  let k = 0;
  for (let i = 0; i < count; i++) {
    const e = edge[i]!;
    if (e < 0) continue;
    const length = graph.edgeLengthMeters[e]!;
    const access = accessMeters ? accessMeters[i]! : 0;
    const direction = graph.edgeDirection[e]!;
    if (direction & 1) {
      node[k] = graph.edgeTo[e]!;
      costMeters[k] = access + (1 - fraction[i]!) * length;
      source[k++] = i;
    }
    if (direction & 2) {
      node[k] = graph.edgeFrom[e]!;
      costMeters[k] = access + fraction[i]! * length;
      source[k++] = i;
    }
  }
  return { count: k, node, costMeters, source };
}

/**
 * Cost (metres) of reaching a point at share `fraction` along edge e after a search: through edgeFrom
 * when the edge may be walked forward, through edgeTo when backward. Infinity when neither end was reached.
 */
export function costAtEdgePosition(graph: RoadGraph, workspace: NetworkCostWorkspace, e: number, fraction: number): number {
  const length = graph.edgeLengthMeters[e]!;
  const direction = graph.edgeDirection[e]!;
  let best = Infinity;
  if (direction & 1) {
    const viaFrom = workspace.costByNode[graph.edgeFrom[e]!]! + fraction * length;
    if (viaFrom < best) best = viaFrom;
  }
  if (direction & 2) {
    const viaTo = workspace.costByNode[graph.edgeTo[e]!]! + (1 - fraction) * length;
    if (viaTo < best) best = viaTo;
  }
  return best;
}

/**
 * Sources snapped onto edges, indexed by edge (a linked list per edge), so a point on the same edge as
 * a source is reached along the edge directly, not only through the edge's end nodes.
 */
export class EdgeSourceIndex {
  /** First source on each edge, or -1. */
  readonly firstByEdge: Int32Array;
  /** Next source on the same edge, or -1. */
  readonly nextBySource: Int32Array;

  /**
   * @param edge edge of each source (-1: not on the network)
   * @param fraction position of each source along its edge (share of the walking length)
   * @param accessMeters cost already spent at each source (its walk onto the network), metres
   */
  constructor(
    edgeCount: number,
    readonly edge: Int32Array,
    readonly fraction: Float64Array,
    readonly accessMeters: Float64Array,
  ) {
    this.firstByEdge = new Int32Array(edgeCount).fill(-1);
    this.nextBySource = new Int32Array(edge.length).fill(-1);
    for (let s = edge.length - 1; s >= 0; s--) {
      const e = edge[s]!;
      if (e < 0) continue;
      this.nextBySource[s] = this.firstByEdge[e]!;
      this.firstByEdge[e] = s;
    }
  }
}

/**
 * Cost (metres) of reaching share `fraction` of edge e after a search: the cheaper of entering through
 * the edge's ends (costAtEdgePosition) and walking along the edge from a source on it (when `sources`
 * is given). Infinity when unreachable within the search's cutoff.
 */
export function costAtSnappedPosition(
  graph: RoadGraph,
  workspace: NetworkCostWorkspace,
  e: number,
  fraction: number,
  sources: EdgeSourceIndex | null,
): number {
  let best = costAtEdgePosition(graph, workspace, e, fraction);
  if (sources === null) return best;
  const length = graph.edgeLengthMeters[e]!;
  const direction = graph.edgeDirection[e]!;
  for (let s = sources.firstByEdge[e]!; s >= 0; s = sources.nextBySource[s]!) {
    const along = fraction - sources.fraction[s]!;
    // Ahead of the source needs the forward direction, behind it the backward one.
    if ((along >= 0 && direction & 1) || (along <= 0 && direction & 2)) {
      const cost = sources.accessMeters[s]! + Math.abs(along) * length;
      if (cost < best) best = cost;
    }
  }
  return best;
}
