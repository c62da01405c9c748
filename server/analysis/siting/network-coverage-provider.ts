// Travel minutes over the walking network for siting: sites and demand points are snapped onto the
// nearest edge (issue 4's EdgeSnapper), one Dijkstra with a cutoff runs per site (computeNetworkCosts),
// and each demand point on a reached edge costs the cheaper way along its edge plus its walk to the
// network. Pairs with an end off the network (farther than the snap distance) fall back to
// straight-line × detour, so rural points keep a stated, comparable cost.

import { EdgeSnapper } from '../network/edge-snapper';
import { computeNetworkCosts, costAtEdgePosition, NetworkCostWorkspace, seedsAtSnappedPoints } from '../network/network-costs';
import { computeOverlayCosts, createOverlayWorkspace, overlayCostAtEdgePosition, overlaySeedsAtPoint, type NetworkOverlay } from '../network/network-overlay';
import type { RoadGraph } from '../network/road-graph';
import { buildCandidateCosts, type CandidateCosts } from './candidate-costs';
import { DEFAULT_DETOUR_FACTOR, DEFAULT_MAX_SNAP_METERS, DEFAULT_SPEED_KMH, metersForMinutes } from '../../domain/travel-limits';
import { createStraightLineProvider, type CoverageProvider } from './coverage-provider';


export interface NetworkProviderOptions {
  speedKmh?: number;
  /** Snap distance, metres (default 300). */
  maxSnapMeters?: number;
  /** Detour factor of the straight-line fallback (default 1.3). */
  detourFactor?: number;
  /** A snapper already built for the graph (they are costly to build). */
  snapper?: EdgeSnapper;
}

export interface NetworkCoverageProvider extends CoverageProvider {
  /** Share of demand points within the snap distance of the network (0..1). */
  readonly snappedShare: number;
  readonly graph: RoadGraph;
  readonly snapper: EdgeSnapper;
  /** Points farther than this from every edge are off the network, metres. */
  readonly maxSnapMeters: number;
  /**
   * siteCosts on the network as an overlay edits it (network-overlay.ts): sites and homes keep their
   * snapped positions; homes on an edge a link splits are also reached from the split point, and a
   * site and a home on the same cut edge no longer reach each other along it.
   */
  siteCostsOnOverlay(siteLngLat: Float64Array, maxMinutes: number, overlay: NetworkOverlay): CandidateCosts;
}

/**
 * Network provider over demand points `[lng0, lat0, …]` (WGS84 degrees): minutes = (walk to the
 * network + shortest network path + walk from it) / speed, for pairs with both ends on the network;
 * other pairs use straight-line × detour.
 */
export function createNetworkCoverageProvider(graph: RoadGraph, demandLngLat: Float64Array, options: NetworkProviderOptions = {}): NetworkCoverageProvider {
  const speedKmh = options.speedKmh ?? DEFAULT_SPEED_KMH;
  const detourFactor = options.detourFactor ?? DEFAULT_DETOUR_FACTOR;
  const maxSnapMeters = options.maxSnapMeters ?? DEFAULT_MAX_SNAP_METERS;
  const metersPerMinute = metersForMinutes(1, speedKmh);
  const snapper = options.snapper ?? new EdgeSnapper(graph);
  const demandCount = demandLngLat.length / 2;
  const demandSnap = snapper.snapLngLat(demandLngLat, maxSnapMeters);

  // Demand points per edge (CSR) and the points off the network.
  const edgeOffsets = new Uint32Array(graph.edgeCount + 1);
  let snapped = 0;
  for (let u = 0; u < demandCount; u++) {
    const e = demandSnap.edge[u]!;
    if (e >= 0) {
      edgeOffsets[e + 1]!++;
      snapped++;
    }
  }
  for (let e = 0; e < graph.edgeCount; e++) edgeOffsets[e + 1]! += edgeOffsets[e]!;
  const edgeDemand = new Uint32Array(snapped);
  const fill = edgeOffsets.slice(0, graph.edgeCount);
  const offNetwork: number[] = [];
  for (let u = 0; u < demandCount; u++) {
    const e = demandSnap.edge[u]!;
    if (e >= 0) edgeDemand[fill[e]!++] = u;
    else offNetwork.push(u);
  }
  // Edges touching each node (both ends, whatever the arcs' directions).
  const nodeEdgeOffsets = new Uint32Array(graph.nodeCount + 1);
  for (let e = 0; e < graph.edgeCount; e++) {
    nodeEdgeOffsets[graph.edgeFrom[e]! + 1]!++;
    nodeEdgeOffsets[graph.edgeTo[e]! + 1]!++;
  }
  for (let n = 0; n < graph.nodeCount; n++) nodeEdgeOffsets[n + 1]! += nodeEdgeOffsets[n]!;
  const nodeEdges = new Uint32Array(nodeEdgeOffsets[graph.nodeCount]!);
  const nodeFill = nodeEdgeOffsets.slice(0, graph.nodeCount);
  for (let e = 0; e < graph.edgeCount; e++) {
    nodeEdges[nodeFill[graph.edgeFrom[e]!]!++] = e;
    nodeEdges[nodeFill[graph.edgeTo[e]!]!++] = e;
  }
  // Straight-line fallback: all points (for sites off the network) and the off-network points alone.
  const straightAll = createStraightLineProvider(demandLngLat, { speedKmh, detourFactor });
  const offLngLat = new Float64Array(offNetwork.length * 2);
  offNetwork.forEach((u, k) => {
    offLngLat[2 * k] = demandLngLat[2 * u]!;
    offLngLat[2 * k + 1] = demandLngLat[2 * u + 1]!;
  });
  const straightOff = createStraightLineProvider(offLngLat, { speedKmh, detourFactor });
  const workspace = new NetworkCostWorkspace(graph.nodeCount);
  const edgeSeenAt = new Int32Array(graph.edgeCount).fill(-1);
  const edgesToVisit = new Uint32Array(graph.edgeCount);
  let overlayWorkspace: NetworkCostWorkspace | null = null;

  return {
    model: {
      method: 'network',
      speedKmh,
      detourFactor,
      label: {
        zh: `步行路网最短路径，${speedKmh} km/h（含至路网的步行距离；距路网超过 ${maxSnapMeters} m 的点用直线距离 × ${detourFactor}）`,
        en: `shortest walking-network path at ${speedKmh} km/h (walk to the network included; points over ${maxSnapMeters} m from it use straight-line × ${detourFactor})`,
      },
    },
    demandCount,
    snappedShare: demandCount > 0 ? snapped / demandCount : 0,
    siteCosts(siteLngLat, maxMinutes) {
      const siteCount = siteLngLat.length / 2;
      const maxMeters = maxMinutes * metersPerMinute;
      const siteSnap = snapper.snapLngLat(siteLngLat, maxSnapMeters);
      const out = new EntryBuffer(Math.max(1024, siteCount * 64));
      const edgeArray = new Int32Array(1);
      const fractionArray = new Float64Array(1);
      const accessArray = new Float64Array(1);
      for (let c = 0; c < siteCount; c++) {
        const siteEdge = siteSnap.edge[c]!;
        if (siteEdge < 0) {
          // Off the network: straight-line × detour to everyone.
          const row = straightAll.siteCosts(siteLngLat.subarray(2 * c, 2 * c + 2), maxMinutes);
          for (let k = 0; k < row.demandIndex.length; k++) out.push(c, row.demandIndex[k]!, row.cost[k]!);
          continue;
        }
        const siteFraction = siteSnap.fraction[c]!;
        const siteAccess = siteSnap.distanceMeters[c]!;
        edgeArray[0] = siteEdge;
        fractionArray[0] = siteFraction;
        accessArray[0] = siteAccess;
        computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edgeArray, fractionArray, accessArray), maxMeters, workspace);
        // Edges to look at: the site's own (walked straight along), then every edge touching a reached node.
        let visitCount = 0;
        edgeSeenAt[siteEdge] = c;
        edgesToVisit[visitCount++] = siteEdge;
        for (let r = 0; r < workspace.reachedCount; r++) {
          const node = workspace.reached[r]!;
          for (let k = nodeEdgeOffsets[node]!, end = nodeEdgeOffsets[node + 1]!; k < end; k++) {
            const e = nodeEdges[k]!;
            if (edgeSeenAt[e] === c) continue;
            edgeSeenAt[e] = c;
            edgesToVisit[visitCount++] = e;
          }
        }
        for (let v = 0; v < visitCount; v++) {
          const e = edgesToVisit[v]!;
          const length = graph.edgeLengthMeters[e]!;
          for (let k = edgeOffsets[e]!, end = edgeOffsets[e + 1]!; k < end; k++) {
            const u = edgeDemand[k]!;
            const fraction = demandSnap.fraction[u]!;
            let meters = costAtEdgePosition(graph, workspace, e, fraction);
            if (e === siteEdge) {
              const along = siteAccess + Math.abs(fraction - siteFraction) * length;
              if (along < meters) meters = along;
            }
            meters += demandSnap.distanceMeters[u]!;
            if (meters <= maxMeters) out.push(c, u, meters / metersPerMinute);
          }
        }
        // Off-network homes: straight-line × detour from the site.
        if (offNetwork.length > 0) {
          const row = straightOff.siteCosts(siteLngLat.subarray(2 * c, 2 * c + 2), maxMinutes);
          for (let k = 0; k < row.demandIndex.length; k++) out.push(c, offNetwork[row.demandIndex[k]!]!, row.cost[k]!);
        }
      }
      edgeSeenAt.fill(-1);
      return buildCandidateCosts(demandCount, siteCount, out.candidate.subarray(0, out.count), out.demand.subarray(0, out.count), out.cost.subarray(0, out.count));
    },
    graph,
    snapper,
    maxSnapMeters,
    siteCostsOnOverlay(siteLngLat, maxMinutes, overlay) {
      if (overlay.graph !== graph) throw new Error('the overlay edits another graph');
      const siteCount = siteLngLat.length / 2;
      const maxMeters = maxMinutes * metersPerMinute;
      const siteSnap = snapper.snapLngLat(siteLngLat, maxSnapMeters);
      const out = new EntryBuffer(Math.max(1024, siteCount * 64));
      if (!overlayWorkspace || overlayWorkspace.costByNode.length < overlay.nodeCount) {
        overlayWorkspace = createOverlayWorkspace(graph, Math.max(256, 2 * (overlay.nodeCount - graph.nodeCount)));
      }
      const search = overlayWorkspace;
      for (let c = 0; c < siteCount; c++) {
        const siteEdge = siteSnap.edge[c]!;
        if (siteEdge < 0) {
          const row = straightAll.siteCosts(siteLngLat.subarray(2 * c, 2 * c + 2), maxMinutes);
          for (let k = 0; k < row.demandIndex.length; k++) out.push(c, row.demandIndex[k]!, row.cost[k]!);
          continue;
        }
        const siteFraction = siteSnap.fraction[c]!;
        const siteAccess = siteSnap.distanceMeters[c]!;
        computeOverlayCosts(overlay, overlaySeedsAtPoint(overlay, siteEdge, siteFraction, siteAccess), maxMeters, search);
        // Edges to look at: the site's own, every edge touching a reached node, the edge of a reached split node.
        let visitCount = 0;
        edgeSeenAt[siteEdge] = c;
        edgesToVisit[visitCount++] = siteEdge;
        for (let r = 0; r < search.reachedCount; r++) {
          const node = search.reached[r]!;
          if (node >= graph.nodeCount) {
            const e = overlay.splitEdge[node - graph.nodeCount]!;
            if (edgeSeenAt[e] === c) continue;
            edgeSeenAt[e] = c;
            edgesToVisit[visitCount++] = e;
            continue;
          }
          for (let k = nodeEdgeOffsets[node]!, end = nodeEdgeOffsets[node + 1]!; k < end; k++) {
            const e = nodeEdges[k]!;
            if (edgeSeenAt[e] === c) continue;
            edgeSeenAt[e] = c;
            edgesToVisit[visitCount++] = e;
          }
        }
        const siteEdgeOpen = overlay.edgeCut[siteEdge] === 0;
        for (let v = 0; v < visitCount; v++) {
          const e = edgesToVisit[v]!;
          const length = graph.edgeLengthMeters[e]!;
          for (let k = edgeOffsets[e]!, end = edgeOffsets[e + 1]!; k < end; k++) {
            const u = edgeDemand[k]!;
            const fraction = demandSnap.fraction[u]!;
            let meters = overlayCostAtEdgePosition(overlay, search, e, fraction);
            if (e === siteEdge && siteEdgeOpen) {
              const along = siteAccess + Math.abs(fraction - siteFraction) * length;
              if (along < meters) meters = along;
            }
            meters += demandSnap.distanceMeters[u]!;
            if (meters <= maxMeters) out.push(c, u, meters / metersPerMinute);
          }
        }
        if (offNetwork.length > 0) {
          const row = straightOff.siteCosts(siteLngLat.subarray(2 * c, 2 * c + 2), maxMinutes);
          for (let k = 0; k < row.demandIndex.length; k++) out.push(c, offNetwork[row.demandIndex[k]!]!, row.cost[k]!);
        }
      }
      edgeSeenAt.fill(-1);
      return buildCandidateCosts(demandCount, siteCount, out.candidate.subarray(0, out.count), out.demand.subarray(0, out.count), out.cost.subarray(0, out.count));
    },
    estimatePairs(siteLngLat, maxMinutes) {
      // The network reach is at most the straight-line reach at the same speed without detour.
      return straightAll.estimatePairs(siteLngLat, maxMinutes * detourFactor);
    },
  };
}

/** Growable (candidate, demand, cost) triplets in flat typed arrays. */
class EntryBuffer {
  candidate: Uint32Array;
  demand: Uint32Array;
  cost: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.candidate = new Uint32Array(capacity);
    this.demand = new Uint32Array(capacity);
    this.cost = new Float64Array(capacity);
  }

  push(candidate: number, demand: number, cost: number): void {
    if (this.count === this.candidate.length) {
      const capacity = 2 * this.count;
      const candidates = new Uint32Array(capacity);
      candidates.set(this.candidate);
      this.candidate = candidates;
      const demands = new Uint32Array(capacity);
      demands.set(this.demand);
      this.demand = demands;
      const costs = new Float64Array(capacity);
      costs.set(this.cost);
      this.cost = costs;
    }
    this.candidate[this.count] = candidate;
    this.demand[this.count] = demand;
    this.cost[this.count] = cost;
    this.count++;
  }
}
