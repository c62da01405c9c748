// Which residential demand points lie within a travel limit of at least one facility: over the walking
// network where both ends snap to it (one multi-source shortest-path search from every facility, with
// a cutoff; the walks from the points onto the network count as straight metres), else by straight-line
// distance × a detour factor. Every point is labelled by how it was assessed.

import KDBush from 'kdbush';
import type { EdgeSnapper, SnappedPoints } from '../network/edge-snapper';
import {
  EdgeSourceIndex,
  computeNetworkCosts,
  costAtSnappedPosition,
  seedsAtSnappedPoints,
  type NetworkCostWorkspace,
  type NetworkSeeds,
} from '../network/network-costs';
import { EARTH_RADIUS_METERS, cosLatitude, haversineTerm, metersOfHaversineTerm } from '../network/polyline-network';
import type { RoadGraph } from '../network/road-graph';

/** Per demand point: not within the limit of any facility. */
export const UNCOVERED = 0;
/** Within the limit over the network. */
export const COVERED_BY_NETWORK = 1;
/** Within the limit by straight-line distance × detour factor (an end off the network). */
export const COVERED_BY_STRAIGHT_LINE = 2;

/**
 * Points located on (or off) the network: where each meets it, the points on it listed edge by edge
 * (so a coverage pass reads the graph in order), and k-d trees over the lon/lat of all points and of
 * those off the network for the straight-line search.
 */
export interface LocatedPoints {
  count: number;
  /** [lng0, lat0, …], WGS84 degrees. */
  lngLat: Float64Array;
  /** cos of each point's latitude (for great-circle distances). */
  cosLat: Float64Array;
  /** Where each point meets the network (edge -1: farther than the snap distance: off the network). */
  snap: SnappedPoints;
  /** The points on the network, by ascending edge (ties in point order). */
  byEdge: Uint32Array;
  /** The points off the network, in point order. */
  offNetwork: Uint32Array;
  /** Every point (item k = point k). */
  index: KDBush;
  /** The points off the network (item k = point offNetwork[k]). */
  offNetworkIndex: KDBush;
}

/** LocatedPoints as flat arrays (the k-d trees as their raw buffers), for shared memory (locatedPointsFromParts). */
export interface LocatedPointsParts extends Omit<LocatedPoints, 'index' | 'offNetworkIndex'> {
  indexData: ArrayBuffer | SharedArrayBuffer;
  offNetworkIndexData: ArrayBuffer | SharedArrayBuffer;
}

export function locatedPointsToParts(points: LocatedPoints): LocatedPointsParts {
  const { index, offNetworkIndex, ...rest } = points;
  return { ...rest, indexData: index.data, offNetworkIndexData: offNetworkIndex.data };
}

/** Located points over parts made by locatedPointsToParts (no work: the trees are reused as they are). */
export function locatedPointsFromParts(parts: LocatedPointsParts): LocatedPoints {
  const { indexData, offNetworkIndexData, ...rest } = parts;
  return { ...rest, index: KDBush.from(indexData), offNetworkIndex: KDBush.from(offNetworkIndexData) };
}

/** A k-d tree over the listed points (all when `ids` is null); an empty one holds one point nobody asks for. */
function indexLngLat(lngLat: Float64Array, ids: Uint32Array | null): KDBush {
  const count = ids ? ids.length : lngLat.length / 2;
  const index = new KDBush(Math.max(1, count), 64, Float64Array);
  for (let k = 0; k < count; k++) {
    const i = ids ? ids[k]! : k;
    index.add(lngLat[i * 2]!, lngLat[i * 2 + 1]!);
  }
  // KDBush needs its declared number of items.
  if (count === 0) index.add(Infinity, Infinity);
  index.finish();
  return index;
}

/** Snaps points to the network within maxSnapMeters and indexes them (build once per data version). */
export function locatePoints(snapper: EdgeSnapper | null, lngLat: Float64Array, maxSnapMeters: number): LocatedPoints {
  const count = lngLat.length / 2;
  const snap: SnappedPoints = snapper
    ? snapper.snapLngLat(lngLat, maxSnapMeters)
    : { count, edge: new Int32Array(count).fill(-1), fraction: new Float64Array(count), distanceMeters: new Float64Array(count).fill(Infinity) };
  const cosLat = new Float64Array(count);
  for (let i = 0; i < count; i++) cosLat[i] = cosLatitude(lngLat[i * 2 + 1]!);
  return locatedPointsOf(lngLat, cosLat, snap);
}

/** Points already snapped, split into on and off the network (on ones by edge) and indexed. */
export function locatedPointsOf(lngLat: Float64Array, cosLat: Float64Array, snap: SnappedPoints): LocatedPoints {
  const count = lngLat.length / 2;
  let onCount = 0;
  for (let i = 0; i < count; i++) if (snap.edge[i]! >= 0) onCount++;
  const onNetwork = new Uint32Array(onCount);
  const offNetwork = new Uint32Array(count - onCount);
  for (let i = 0, on = 0, off = 0; i < count; i++) {
    if (snap.edge[i]! >= 0) onNetwork[on++] = i;
    else offNetwork[off++] = i;
  }
  // A stable sort keeps points of one edge in point order.
  const byEdge = onNetwork.sort((i, j) => snap.edge[i]! - snap.edge[j]! || i - j);
  return { count, lngLat, cosLat, snap, byEdge, offNetwork, index: indexLngLat(lngLat, null), offNetworkIndex: indexLngLat(lngLat, offNetwork) };
}

export interface DemandCoverageOptions {
  /** Travel limit as a walking distance, metres. */
  maxMeters: number;
  /** Straight-line distance × this stands for the walk where an end is off the network. */
  detourFactor: number;
}

/** Metres per degree of longitude and latitude at a latitude (spherical; for search boxes only). */
function degreesFor(meters: number, lat: number): [number, number] {
  const perDegreeLat = 111_320;
  const perDegreeLng = perDegreeLat * Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  // 1 % slack: the box only preselects, the haversine test decides.
  return [(meters * 1.01) / perDegreeLng, (meters * 1.01) / perDegreeLat];
}

/** Seeds and edge index of located facilities: they do not depend on the limit, so each set makes them once. */
const sourcesBySet = new WeakMap<LocatedPoints, { graph: RoadGraph; seeds: NetworkSeeds; sources: EdgeSourceIndex }>();

function networkSources(graph: RoadGraph, facilities: LocatedPoints): { seeds: NetworkSeeds; sources: EdgeSourceIndex } {
  const cached = sourcesBySet.get(facilities);
  if (cached && cached.graph === graph) return cached;
  const { edge, fraction, distanceMeters } = facilities.snap;
  const made = {
    graph,
    seeds: seedsAtSnappedPoints(graph, edge, fraction, distanceMeters),
    sources: new EdgeSourceIndex(graph.edgeCount, edge, fraction, distanceMeters),
  };
  sourcesBySet.set(facilities, made);
  return made;
}

/**
 * Network walking cost from the nearest facility to each demand point, metres: the facility's walk onto
 * the network + the network walk + the point's walk off it, where both snapped and that is ≤
 * cutoffMeters; Infinity otherwise (an end off the network, or farther). Costs within the cutoff are
 * exact, so one pass answers every limit up to the cutoff (coverageFromCosts).
 * O(network within the cutoff + points on the network).
 */
export function computeDemandNetworkCosts(
  graph: RoadGraph,
  workspace: NetworkCostWorkspace,
  demand: LocatedPoints,
  facilities: LocatedPoints,
  cutoffMeters: number,
  out: Float64Array = new Float64Array(demand.count),
): Float64Array {
  out.fill(Infinity);
  let snappedFacilities = 0;
  for (let f = 0; f < facilities.count; f++) if (facilities.snap.edge[f]! >= 0) snappedFacilities++;
  if (snappedFacilities === 0) return out;
  const { seeds, sources } = networkSources(graph, facilities);
  computeNetworkCosts(graph, seeds, cutoffMeters, workspace);
  const { costByNode } = workspace;
  const { edge, fraction, distanceMeters } = demand.snap;
  const byEdge = demand.byEdge;
  // Edge by edge: an edge with neither end reached and no facility on it reaches none of its points.
  for (let k = 0; k < byEdge.length; ) {
    const e = edge[byEdge[k]!]!;
    let end = k + 1;
    while (end < byEdge.length && edge[byEdge[end]!] === e) end++;
    if (costByNode[graph.edgeFrom[e]!] === Infinity && costByNode[graph.edgeTo[e]!] === Infinity && sources.firstByEdge[e]! < 0) {
      k = end;
      continue;
    }
    for (; k < end; k++) {
      const i = byEdge[k]!;
      const access = distanceMeters[i]!;
      if (access > cutoffMeters) continue;
      const cost = costAtSnappedPosition(graph, workspace, e, fraction[i]!, sources) + access;
      if (cost <= cutoffMeters) out[i] = cost;
    }
  }
  return out;
}

/** Straight-line limits up to this skip hopeless pairs by a trig-free bound (their angles stay below 0.035 rad). */
const PRUNE_MAX_METERS = 50_000;
const RADIANS_PER_DEGREE = Math.PI / 180;

/**
 * Straight-line distance from each demand point to the nearest facility it is judged against by straight
 * line (a pair with an end off the network: a point on the network looks at facilities off it, a point
 * off it at every facility), great-circle metres; Infinity beyond `maxMeters`. One pass answers every
 * straight-line radius up to maxMeters (coverageFromCosts). O(facilities × points near them that are
 * off the network, or all points near a facility off it).
 */
export function computeStraightLineMeters(
  demand: LocatedPoints,
  facilities: LocatedPoints,
  maxMeters: number,
  out: Float64Array = new Float64Array(demand.count),
): Float64Array {
  // First the smallest haversine term per point (terms grow with distance), then metres for those.
  out.fill(Infinity);
  const facilityEdge = facilities.snap.edge;
  const offNetwork = demand.offNetwork;
  const { lngLat, cosLat } = demand;
  // A pair whose trig-free lower bound of the term cannot beat the point's best so far, nor the limit, is
  // skipped before the sines: sin²(x/2) ≥ (x/2)²·(1 − x²/12), and every pair of a box is within
  // PRUNE_MAX_METERS (angles below 0.035 rad up to 77° latitude, x²/12 < 1e-4). Exact: a pair is
  // skipped only when its term could not have changed the answer.
  const prune = maxMeters <= PRUNE_MAX_METERS;
  const limitTerm = prune ? Math.sin(maxMeters / (2 * EARTH_RADIUS_METERS)) ** 2 * (1 + 1e-9) : Infinity;
  const lowerPerSquare = prune ? 0.25 * (1 - 1e-4) * RADIANS_PER_DEGREE * RADIANS_PER_DEGREE : 0;
  for (let f = 0; f < facilities.count; f++) {
    const facilityOnNetwork = facilityEdge[f]! >= 0;
    if (facilityOnNetwork && offNetwork.length === 0) continue;
    const lng = facilities.lngLat[f * 2]!;
    const lat = facilities.lngLat[f * 2 + 1]!;
    const cos = facilities.cosLat[f]!;
    const [dLng, dLat] = degreesFor(maxMeters, lat);
    const near = (facilityOnNetwork ? demand.offNetworkIndex : demand.index).range(lng - dLng, lat - dLat, lng + dLng, lat + dLat);
    for (let k = 0; k < near.length; k++) {
      const item = near[k]!;
      const i = facilityOnNetwork ? offNetwork[item] : item;
      if (i === undefined || i >= demand.count) continue;
      const pointLng = lngLat[i * 2]!;
      const pointLat = lngLat[i * 2 + 1]!;
      const dLng = pointLng - lng;
      const dLat = pointLat - lat;
      const lower = (dLat * dLat + cos * cosLat[i]! * dLng * dLng) * lowerPerSquare;
      if (lower >= out[i]! || lower > limitTerm) continue;
      const a = haversineTerm(lng, lat, cos, pointLng, pointLat, cosLat[i]!);
      if (a < out[i]!) out[i] = a;
    }
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] === Infinity) continue;
    const meters = metersOfHaversineTerm(out[i]!);
    out[i] = meters <= maxMeters ? meters : Infinity;
  }
  return out;
}

/**
 * Coverage state per demand point (UNCOVERED, COVERED_BY_NETWORK or COVERED_BY_STRAIGHT_LINE) for one
 * limit: covered over the network when its network cost is ≤ maxMeters (`networkCosts` from
 * computeDemandNetworkCosts with a cutoff ≥ maxMeters; null: no network), else by straight line when
 * its straight-line distance × detourFactor is within the limit (`straightLineMeters` from
 * computeStraightLineMeters out to at least maxMeters ÷ detourFactor). O(points).
 */
export function coverageFromCosts(
  networkCosts: Float64Array | null,
  straightLineMeters: Float64Array,
  options: DemandCoverageOptions,
  out: Uint8Array = new Uint8Array(straightLineMeters.length),
): Uint8Array {
  const { maxMeters } = options;
  const radius = maxMeters / options.detourFactor;
  for (let i = 0; i < out.length; i++) {
    out[i] = networkCosts && networkCosts[i]! <= maxMeters ? COVERED_BY_NETWORK : straightLineMeters[i]! <= radius ? COVERED_BY_STRAIGHT_LINE : UNCOVERED;
  }
  return out;
}

/**
 * Coverage state per demand point for one set of facilities and one limit: computeDemandNetworkCosts
 * with the limit as cutoff and computeStraightLineMeters out to limit ÷ detour factor, then
 * coverageFromCosts. O(network within the limit + points + facilities × points near them).
 */
export function computeDemandCoverage(
  graph: RoadGraph | null,
  workspace: NetworkCostWorkspace | null,
  demand: LocatedPoints,
  facilities: LocatedPoints,
  options: DemandCoverageOptions,
  out: Uint8Array = new Uint8Array(demand.count),
): Uint8Array {
  const networkCosts = graph && workspace ? computeDemandNetworkCosts(graph, workspace, demand, facilities, options.maxMeters) : null;
  const straightLineMeters = computeStraightLineMeters(demand, facilities, options.maxMeters / options.detourFactor);
  return coverageFromCosts(networkCosts, straightLineMeters, options, out);
}

/** Population sums per group (struct of arrays, index = group). */
export interface CoverageTotals {
  population: Float64Array;
  coveredPopulation: Float64Array;
  /** Residents whose coverage was judged on the network (their point snapped to it). */
  networkPopulation: Float64Array;
}

/**
 * Sums population, covered population and population assessed on the network per group:
 * `groupOfPoint[i]` is point i's group (−1: left out).
 */
export function sumCoverageByGroup(
  groupOfPoint: Int32Array,
  groupCount: number,
  population: ArrayLike<number>,
  state: Uint8Array,
  demandSnap: SnappedPoints,
): CoverageTotals {
  const totals: CoverageTotals = {
    population: new Float64Array(groupCount),
    coveredPopulation: new Float64Array(groupCount),
    networkPopulation: new Float64Array(groupCount),
  };
  for (let i = 0; i < groupOfPoint.length; i++) {
    const g = groupOfPoint[i]!;
    if (g < 0) continue;
    const residents = population[i]!;
    totals.population[g]! += residents;
    if (state[i] !== UNCOVERED) totals.coveredPopulation[g]! += residents;
    if (demandSnap.edge[i]! >= 0) totals.networkPopulation[g]! += residents;
  }
  return totals;
}
