// Walking distances from one place to a few others on the walking network: both ends snapped onto the
// nearest edge, one single-source search (computeNetworkCosts) cut off just past the farthest target's
// reach, each target read at its position on its edge. Metres, the walk onto and off the network included.

import { EdgeSourceIndex, NetworkCostWorkspace, computeNetworkCosts, costAtSnappedPosition, seedsAtSnappedPoints } from './network-costs';
import type { EdgeSnapper } from './edge-snapper';
import { haversineMeters } from './polyline-network';
import type { RoadGraph } from './road-graph';

/**
 * The cutoff of the search as a multiple of the farthest target's straight-line distance (plus
 * `CUTOFF_SLACK_METERS`): walks longer than this many times the crow-fly distance are not looked for
 * (urban networks detour by 1.2–1.6; 4 leaves room for rivers and railways with few crossings).
 */
export const WALK_CUTOFF_FACTOR = 4;
export const CUTOFF_SLACK_METERS = 2_000;

/**
 * Walking metres from `originLngLat` to each of `targetsLngLat` ([lng0, lat0, …], WGS84 degrees): the
 * walk from the origin to its snapped position, along the network, and from the target's snapped
 * position to the target (the straight access legs in planar metres). NaN where an end lies farther than
 * `maxSnapMeters` from every edge or no path is found within the cutoff (see WALK_CUTOFF_FACTOR).
 * O(V + E) over the part of the network within the cutoff.
 */
export function walkingMetersFrom(
  graph: RoadGraph,
  snapper: EdgeSnapper,
  originLngLat: readonly [number, number],
  targetsLngLat: Float64Array,
  maxSnapMeters: number,
  workspace: NetworkCostWorkspace = new NetworkCostWorkspace(graph.nodeCount),
): Float64Array {
  const count = targetsLngLat.length / 2;
  const out = new Float64Array(count).fill(NaN);
  const origin = snapper.snapLngLat(originLngLat, maxSnapMeters);
  if (origin.edge[0]! < 0 || count === 0) return out;
  const targets = snapper.snapLngLat(targetsLngLat, maxSnapMeters);
  let farthest = 0;
  for (let i = 0; i < count; i++) {
    farthest = Math.max(farthest, haversineMeters(originLngLat[0], originLngLat[1], targetsLngLat[2 * i]!, targetsLngLat[2 * i + 1]!));
  }
  const access = new Float64Array([origin.distanceMeters[0]!]);
  const cutoff = farthest * WALK_CUTOFF_FACTOR + CUTOFF_SLACK_METERS + origin.distanceMeters[0]!;
  computeNetworkCosts(graph, seedsAtSnappedPoints(graph, origin.edge, origin.fraction, access), cutoff, workspace);
  // A target on the origin's own edge is reached along the edge, not only through its ends.
  const sameEdge = new EdgeSourceIndex(graph.edgeCount, origin.edge, origin.fraction, access);
  for (let i = 0; i < count; i++) {
    const e = targets.edge[i]!;
    if (e < 0) continue;
    const meters = costAtSnappedPosition(graph, workspace, e, targets.fraction[i]!, sameEdge) + targets.distanceMeters[i]!;
    if (Number.isFinite(meters)) out[i] = meters;
  }
  return out;
}
