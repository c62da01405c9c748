// Coverage states of a region's demand points only: the tests of computeDemandNetworkCosts,
// computeStraightLineMeters and coverageFromCosts, with the same arithmetic, over a list of points
// instead of all of them, so a unit's answer costs its own points, not the province's.

import { COVERED_BY_NETWORK, COVERED_BY_STRAIGHT_LINE, UNCOVERED, type LocatedPoints } from './demand-coverage';
import { EdgeSourceIndex, computeNetworkCosts, costAtSnappedPosition, seedsAtSnappedPoints, type NetworkCostWorkspace } from '../network/network-costs';
import { metersOfHaversineTerm, haversineTerm } from '../network/polyline-network';
import type { RoadGraph } from '../network/road-graph';

/** A region's demand points: their indexes, ascending, and each demand point's slot among them. */
export interface RegionPoints {
  /** Demand point of each slot, ascending. */
  points: Uint32Array;
  /** Slot of each demand point (−1: outside the region). */
  slotOfPoint: Int32Array;
}

/** The region of the listed demand points (ascending). */
export function regionPoints(demandCount: number, points: Uint32Array): RegionPoints {
  const slotOfPoint = new Int32Array(demandCount).fill(-1);
  for (let k = 0; k < points.length; k++) slotOfPoint[points[k]!] = k;
  return { points, slotOfPoint };
}

/** Metres per degree of latitude on the mean sphere, and a 1 % margin: search boxes only preselect. */
const BOX_METERS_PER_DEGREE = 111_320;

/**
 * Coverage state of each of a region's points (slot order): COVERED_BY_NETWORK when the walk from the
 * nearest facility over the network is ≤ maxMeters (both ends snapped), else COVERED_BY_STRAIGHT_LINE when
 * a facility judged by straight line (an end off the network) is within maxMeters ÷ detourFactor
 * (great-circle), else UNCOVERED — computeDemandCoverage's states at these points. `facilities` may be
 * only those near the region (facilitiesNearBox). O(network within maxMeters of them + the region's
 * points + facilities × the points near them).
 */
export function computeRegionCoverage(
  graph: RoadGraph | null,
  workspace: NetworkCostWorkspace | null,
  demand: LocatedPoints,
  region: RegionPoints,
  facilities: LocatedPoints,
  maxMeters: number,
  detourFactor: number,
  out: Uint8Array = new Uint8Array(region.points.length),
): Uint8Array {
  const { points, slotOfPoint } = region;
  out.fill(UNCOVERED);
  // Over the network.
  let snappedFacilities = 0;
  for (let f = 0; f < facilities.count; f++) if (facilities.snap.edge[f]! >= 0) snappedFacilities++;
  if (graph && workspace && snappedFacilities > 0) {
    const { edge, fraction, distanceMeters } = facilities.snap;
    computeNetworkCosts(graph, seedsAtSnappedPoints(graph, edge, fraction, distanceMeters), maxMeters, workspace);
    const sources = new EdgeSourceIndex(graph.edgeCount, edge, fraction, distanceMeters);
    const { costByNode } = workspace;
    const demandEdge = demand.snap.edge;
    for (let k = 0; k < points.length; k++) {
      const i = points[k]!;
      const e = demandEdge[i]!;
      if (e < 0) continue;
      const access = demand.snap.distanceMeters[i]!;
      if (access > maxMeters) continue;
      if (costByNode[graph.edgeFrom[e]!] === Infinity && costByNode[graph.edgeTo[e]!] === Infinity && sources.firstByEdge[e]! < 0) continue;
      const cost = costAtSnappedPosition(graph, workspace, e, demand.snap.fraction[i]!, sources) + access;
      if (cost <= maxMeters) out[k] = COVERED_BY_NETWORK;
    }
  }
  // By straight line: the smallest haversine term per point not yet covered, then metres for it.
  const radius = maxMeters / detourFactor;
  const nearestTerm = new Float64Array(points.length).fill(Infinity);
  const { lngLat, cosLat, offNetwork } = demand;
  for (let f = 0; f < facilities.count; f++) {
    const facilityOnNetwork = facilities.snap.edge[f]! >= 0;
    if (facilityOnNetwork && offNetwork.length === 0) continue;
    const lng = facilities.lngLat[f * 2]!;
    const lat = facilities.lngLat[f * 2 + 1]!;
    const cos = facilities.cosLat[f]!;
    const dLat = (radius * 1.01) / BOX_METERS_PER_DEGREE;
    const dLng = (radius * 1.01) / (BOX_METERS_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
    const near = (facilityOnNetwork ? demand.offNetworkIndex : demand.index).range(lng - dLng, lat - dLat, lng + dLng, lat + dLat);
    for (let n = 0; n < near.length; n++) {
      const item = near[n]!;
      const i = facilityOnNetwork ? offNetwork[item] : item;
      if (i === undefined || i >= demand.count) continue;
      const k = slotOfPoint[i]!;
      if (k < 0) continue;
      const a = haversineTerm(lng, lat, cos, lngLat[i * 2]!, lngLat[i * 2 + 1]!, cosLat[i]!);
      if (a < nearestTerm[k]!) nearestTerm[k] = a;
    }
  }
  for (let k = 0; k < points.length; k++) {
    if (out[k] === UNCOVERED && nearestTerm[k]! < Infinity && metersOfHaversineTerm(nearestTerm[k]!) <= radius) out[k] = COVERED_BY_STRAIGHT_LINE;
  }
  return out;
}
