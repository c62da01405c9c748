// What-if edits to the walking network as an overlay on the prepared CSR graph, which stays read-only:
// cut edges (a mask: their arcs are skipped), added links (extra arcs between network points) and the
// nodes where a link end splits an edge (extra nodes past the graph's own, joined to the edge's ends
// and to each other along it; the edge's own arcs stay). computeOverlayCosts is computeNetworkCosts
// (Dial's buckets) walking the graph's arcs minus the cut ones plus the overlay's; the graph's fast
// path is untouched. A point on a cut edge (a home, a facility) still steps out at either end of it:
// the cut closes the edge to walkers passing along it, not the doors that open onto it.

import { NetworkCostWorkspace, type NetworkSeeds } from './network-costs';
import { DIRECTION_BACKWARD, DIRECTION_FORWARD, type RoadGraph } from './road-graph';

/** Where an overlay arc starts or ends: a node of the graph, or share `fraction` along an edge. */
export type NetworkPoint = { node: number } | { edge: number; fraction: number };

export interface NetworkOverlayEdits {
  /** Edges (indices) whose arcs are left out. */
  cutEdges: readonly number[];
  /** Two-way links between network points, each with its walking length (metres). */
  links: readonly { from: NetworkPoint; to: NetworkPoint; lengthMeters: number }[];
}

export interface NetworkOverlay {
  readonly graph: RoadGraph;
  /** The graph's nodes, then one per split point: node graph.nodeCount + k is split point k. */
  readonly nodeCount: number;
  /** 1 where an edge is cut. */
  readonly edgeCut: Uint8Array;
  /** Split point k: its edge and share along it; nodes of each split edge in order along it. */
  readonly splitEdge: Uint32Array;
  readonly splitFraction: Float64Array;
  readonly splitsByEdge: ReadonlyMap<number, readonly number[]>;
  /** Extra arcs of each node (a list: first by node, next by arc; -1 ends it), head and length (metres). */
  readonly extraFirst: Int32Array;
  readonly extraNext: Int32Array;
  readonly extraHead: Uint32Array;
  readonly extraLength: Float64Array;
  /** The longest extra arc, metres. */
  readonly longestExtraMeters: number;
}

/** Node of a network point in an overlay: the node itself, or the split node made for it. */
export function overlayNodeOf(overlay: NetworkOverlay, point: NetworkPoint): number {
  if ('node' in point) return point.node;
  const splits = overlay.splitsByEdge.get(point.edge) ?? [];
  for (const node of splits) if (overlay.splitFraction[node - overlay.graph.nodeCount] === point.fraction) return node;
  throw new Error(`no split node at ${point.fraction} of edge ${point.edge}`);
}

/**
 * The overlay of a set of edits on a graph. O(edits) beyond two arrays of the graph's size (the cut
 * mask and the extra-arc heads).
 */
export function buildNetworkOverlay(graph: RoadGraph, edits: NetworkOverlayEdits): NetworkOverlay {
  const edgeCut = new Uint8Array(graph.edgeCount);
  for (const e of edits.cutEdges) {
    if (!(e >= 0 && e < graph.edgeCount)) throw new RangeError(`edge ${e} of ${graph.edgeCount}`);
    edgeCut[e] = 1;
  }
  // Split points: one node per distinct (edge, fraction).
  const splitEdge: number[] = [];
  const splitFraction: number[] = [];
  const splitKey = new Map<string, number>();
  const splitsByEdge = new Map<number, number[]>();
  const nodeOf = (point: NetworkPoint): number => {
    if ('node' in point) {
      if (!(point.node >= 0 && point.node < graph.nodeCount)) throw new RangeError(`node ${point.node} of ${graph.nodeCount}`);
      return point.node;
    }
    const { edge, fraction } = point;
    if (!(edge >= 0 && edge < graph.edgeCount) || !(fraction >= 0 && fraction <= 1)) throw new RangeError(`edge ${edge} at ${fraction}`);
    const key = `${edge}|${fraction}`;
    let node = splitKey.get(key);
    if (node === undefined) {
      node = graph.nodeCount + splitEdge.length;
      splitKey.set(key, node);
      splitEdge.push(edge);
      splitFraction.push(fraction);
      const list = splitsByEdge.get(edge) ?? [];
      list.push(node);
      splitsByEdge.set(edge, list);
    }
    return node;
  };
  const linkEnds = edits.links.map((link) => [nodeOf(link.from), nodeOf(link.to)] as const);
  const nodeCount = graph.nodeCount + splitEdge.length;
  const tails: number[] = [];
  const heads: number[] = [];
  const lengths: number[] = [];
  const arc = (tail: number, head: number, length: number) => {
    tails.push(tail);
    heads.push(head);
    lengths.push(length);
  };
  // Along each split (uncut) edge: its end, the split nodes in order, its other end, in the edge's directions.
  for (const [edge, nodes] of splitsByEdge) {
    nodes.sort((a, b) => splitFraction[a - graph.nodeCount]! - splitFraction[b - graph.nodeCount]!);
    if (edgeCut[edge]) continue;
    const length = graph.edgeLengthMeters[edge]!;
    const direction = graph.edgeDirection[edge]!;
    const chain = [graph.edgeFrom[edge]!, ...nodes, graph.edgeTo[edge]!];
    const at = (k: number) => (k === 0 ? 0 : k === chain.length - 1 ? 1 : splitFraction[chain[k]! - graph.nodeCount]!);
    for (let k = 0; k + 1 < chain.length; k++) {
      const piece = (at(k + 1) - at(k)) * length;
      if (direction & DIRECTION_FORWARD) arc(chain[k]!, chain[k + 1]!, piece);
      if (direction & DIRECTION_BACKWARD) arc(chain[k + 1]!, chain[k]!, piece);
    }
  }
  edits.links.forEach((link, k) => {
    const [from, to] = linkEnds[k]!;
    if (!(link.lengthMeters >= 0) || !Number.isFinite(link.lengthMeters)) throw new RangeError(`link ${k} has length ${link.lengthMeters}`);
    arc(from, to, link.lengthMeters);
    arc(to, from, link.lengthMeters);
  });
  const extraFirst = new Int32Array(nodeCount).fill(-1);
  const extraNext = new Int32Array(tails.length);
  let longestExtraMeters = 0;
  for (let a = tails.length - 1; a >= 0; a--) {
    extraNext[a] = extraFirst[tails[a]!]!;
    extraFirst[tails[a]!] = a;
    if (lengths[a]! > longestExtraMeters) longestExtraMeters = lengths[a]!;
  }
  return {
    graph,
    nodeCount,
    edgeCut,
    splitEdge: Uint32Array.from(splitEdge),
    splitFraction: Float64Array.from(splitFraction),
    splitsByEdge,
    extraFirst,
    extraNext,
    extraHead: Uint32Array.from(heads),
    extraLength: Float64Array.from(lengths),
    longestExtraMeters,
  };
}

/** A workspace for overlay searches on a graph with room for `extraNodes` split nodes. */
export function createOverlayWorkspace(graph: RoadGraph, extraNodes: number): NetworkCostWorkspace {
  return new NetworkCostWorkspace(graph.nodeCount + extraNodes);
}

/**
 * computeNetworkCosts on the graph as the overlay edits it: the same search (the same floats where the
 * edits change no path), arcs of cut edges skipped, the overlay's arcs walked too. The workspace must
 * hold overlay.nodeCount nodes (createOverlayWorkspace); seeds may start at split nodes.
 */
export function computeOverlayCosts(overlay: NetworkOverlay, seeds: NetworkSeeds, maxCostMeters: number, workspace: NetworkCostWorkspace): NetworkCostWorkspace {
  const { graph } = overlay;
  if (workspace.costByNode.length < overlay.nodeCount) throw new RangeError(`workspace holds ${workspace.costByNode.length} nodes, the overlay ${overlay.nodeCount}`);
  workspace.prepareBuckets(graph);
  workspace.reset();
  ensureBucketReach(workspace, overlay.longestExtraMeters);
  const baseNodeCount = graph.nodeCount;
  const { offsets, targets, lengthMeters, arcEdge } = graph;
  const { edgeCut, extraFirst, extraNext, extraHead, extraLength } = overlay;
  const { costByNode } = workspace;
  for (let bucket = workspace.planSeeds(seeds, maxCostMeters); workspace.searching(); bucket++) {
    bucket = workspace.admitSeeds(seeds, bucket);
    for (let node = workspace.takeFromBucket(bucket); node >= 0; node = workspace.takeFromBucket(bucket)) {
      const cost = costByNode[node]!;
      const source = workspace.sourceByNode[node]!;
      // The graph's arcs of the node (none for a split node) but those of cut edges, then the overlay's.
      if (node < baseNodeCount) {
        for (let a = offsets[node]!, end = offsets[node + 1]!; a < end; a++) {
          if (edgeCut[arcEdge[a]!]) continue;
          const next = cost + lengthMeters[a]!;
          if (next <= maxCostMeters) workspace.improve(targets[a]!, next, source);
        }
      }
      for (let extra = extraFirst[node]!; extra >= 0; extra = extraNext[extra]!) {
        const next = cost + extraLength[extra]!;
        if (next <= maxCostMeters) workspace.improve(extraHead[extra]!, next, source);
      }
    }
  }
  return workspace;
}

/** Widens the bucket ring so an arc of `longestMeters` never lands past it (the graph's own arcs already fit). */
function ensureBucketReach(workspace: NetworkCostWorkspace, longestMeters: number): void {
  const reach = Math.ceil(longestMeters / workspace.bucketWidthMeters) + 2;
  if (reach <= workspace.bucketReach) return;
  workspace.bucketReach = reach;
  let count = workspace.bucketHead.length;
  while (count < reach + 2) count *= 2;
  if (count !== workspace.bucketHead.length) workspace.bucketHead = new Int32Array(count).fill(-1);
}

/**
 * Seeds for one point at share `fraction` of edge e (with `accessMeters` already walked): the edge's
 * ends as seedsAtSnappedPoints gives them, and the split nodes on the edge unless it is cut.
 */
export function overlaySeedsAtPoint(overlay: NetworkOverlay, e: number, fraction: number, accessMeters: number, source = 0): NetworkSeeds {
  const { graph } = overlay;
  const length = graph.edgeLengthMeters[e]!;
  const direction = graph.edgeDirection[e]!;
  const splits = overlay.edgeCut[e] ? [] : (overlay.splitsByEdge.get(e) ?? []);
  const node = new Uint32Array(2 + splits.length);
  const costMeters = new Float64Array(2 + splits.length);
  let count = 0;
  if (direction & DIRECTION_FORWARD) {
    node[count] = graph.edgeTo[e]!;
    costMeters[count++] = accessMeters + (1 - fraction) * length;
  }
  if (direction & DIRECTION_BACKWARD) {
    node[count] = graph.edgeFrom[e]!;
    costMeters[count++] = accessMeters + fraction * length;
  }
  for (const split of splits) {
    const along = overlay.splitFraction[split - graph.nodeCount]! - fraction;
    if ((along >= 0 && direction & DIRECTION_FORWARD) || (along <= 0 && direction & DIRECTION_BACKWARD)) {
      node[count] = split;
      costMeters[count++] = accessMeters + Math.abs(along) * length;
    }
  }
  return { count, node, costMeters, source: new Int32Array(count).fill(source) };
}

/**
 * Cost (metres) of reaching share `fraction` of edge e after an overlay search: through the edge's ends
 * (as costAtEdgePosition), or from a split node on it along the edge (uncut edges only). Infinity when
 * unreachable within the search's cutoff.
 */
export function overlayCostAtEdgePosition(overlay: NetworkOverlay, workspace: NetworkCostWorkspace, e: number, fraction: number): number {
  const { graph } = overlay;
  const length = graph.edgeLengthMeters[e]!;
  const direction = graph.edgeDirection[e]!;
  const cost = workspace.costByNode;
  let best = Infinity;
  if (direction & DIRECTION_FORWARD) {
    const viaFrom = cost[graph.edgeFrom[e]!]! + fraction * length;
    if (viaFrom < best) best = viaFrom;
  }
  if (direction & DIRECTION_BACKWARD) {
    const viaTo = cost[graph.edgeTo[e]!]! + (1 - fraction) * length;
    if (viaTo < best) best = viaTo;
  }
  if (overlay.edgeCut[e]) return best;
  const splits = overlay.splitsByEdge.get(e);
  if (!splits) return best;
  for (const split of splits) {
    const along = fraction - overlay.splitFraction[split - graph.nodeCount]!;
    if ((along >= 0 && direction & DIRECTION_FORWARD) || (along <= 0 && direction & DIRECTION_BACKWARD)) {
      const via = cost[split]! + Math.abs(along) * length;
      if (via < best) best = via;
    }
  }
  return best;
}

/**
 * The point at share `fraction` of edge e's walking length, placed along its drawn geometry (from node,
 * shape points, to node) at the same share of the geometry's length: [lng, lat], WGS84 degrees.
 */
export function edgePointLngLat(graph: RoadGraph, e: number, fraction: number): [number, number] {
  const { nodeXY, shapeXY, shapeOffsets } = graph;
  const xs = [nodeXY[graph.edgeFrom[e]! * 2]!];
  const ys = [nodeXY[graph.edgeFrom[e]! * 2 + 1]!];
  for (let i = shapeOffsets[e]!, end = shapeOffsets[e + 1]!; i < end; i++) {
    xs.push(shapeXY[i * 2]!);
    ys.push(shapeXY[i * 2 + 1]!);
  }
  xs.push(nodeXY[graph.edgeTo[e]! * 2]!);
  ys.push(nodeXY[graph.edgeTo[e]! * 2 + 1]!);
  let total = 0;
  for (let k = 1; k < xs.length; k++) total += Math.hypot(xs[k]! - xs[k - 1]!, ys[k]! - ys[k - 1]!);
  let left = Math.min(1, Math.max(0, fraction)) * total;
  for (let k = 1; k < xs.length; k++) {
    const piece = Math.hypot(xs[k]! - xs[k - 1]!, ys[k]! - ys[k - 1]!);
    if (left <= piece || k === xs.length - 1) {
      const t = piece > 0 ? Math.min(1, left / piece) : 0;
      return graph.projection.toLngLat([xs[k - 1]! + t * (xs[k]! - xs[k - 1]!), ys[k - 1]! + t * (ys[k]! - ys[k - 1]!)]);
    }
    left -= piece;
  }
  return [graph.nodeLngLat[graph.edgeFrom[e]! * 2]!, graph.nodeLngLat[graph.edgeFrom[e]! * 2 + 1]!];
}
