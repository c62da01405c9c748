// The facilities of a set that can serve a region: those inside the box around the region's points widened
// by the reach (a k-d tree range query), copied out as located points of their own, so one search seeded
// from them alone gives every point of the region the cost a search from the whole set would.

import { locatedPointsOf, type LocatedPoints } from './demand-coverage';

/**
 * A walk is taken to be at least the straight line between its ends ÷ this. Network costs are planar
 * metres in a local projection (within a few per cent of great-circle metres across a province) along
 * edges no shorter than their chords, so the true figure is close to 1; the margin keeps the argument
 * safe, and widens the box only a little.
 */
export const WALK_STRAIGHT_LINE_SLACK = 1.25;

/** Metres per degree of latitude, rounded down (a wider box is safe, a narrower one is not). */
const MIN_METERS_PER_DEGREE = 110_000;

/** [minLng, minLat, maxLng, maxLat] of the listed points, WGS84 degrees (null for none). */
export function boxOfPoints(lngLat: Float64Array, ids: Uint32Array): [number, number, number, number] | null {
  if (ids.length === 0) return null;
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k]!;
    const lng = lngLat[2 * i]!;
    const lat = lngLat[2 * i + 1]!;
    if (lng < minLng) minLng = lng;
    if (lng > maxLng) maxLng = lng;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return [minLng, minLat, maxLng, maxLat];
}

/**
 * Indexes (ascending) of the facilities within `reachMeters` × WALK_STRAIGHT_LINE_SLACK of a box: every
 * facility whose walk (or straight-line distance) to a point in the box can be ≤ reachMeters. Costs of a
 * search seeded from these alone, at points in the box and up to reachMeters, are the whole set's float
 * for float: each such cost is the cheapest walk from some facility, and that facility is among these.
 */
export function facilitiesNearBox(facilities: LocatedPoints, box: readonly [number, number, number, number], reachMeters: number): Uint32Array {
  const [minLng, minLat, maxLng, maxLat] = box;
  const dLat = (reachMeters * WALK_STRAIGHT_LINE_SLACK) / MIN_METERS_PER_DEGREE;
  // A degree of longitude is shortest at the latitude farthest from the equator.
  const farthestLat = Math.min(89, Math.max(Math.abs(minLat - dLat), Math.abs(maxLat + dLat)));
  const dLng = dLat / Math.cos((farthestLat * Math.PI) / 180);
  if (facilities.count === 0) return new Uint32Array(0);
  const found = facilities.index.range(minLng - dLng, minLat - dLat, maxLng + dLng, maxLat + dLat);
  // An empty set's tree holds one placeholder beyond the count.
  return Uint32Array.from(found.filter((i) => i < facilities.count)).sort();
}

/** The listed points of a located set as a set of their own (item k = point ids[k]); no snapping again. */
export function subsetOfLocatedPoints(points: LocatedPoints, ids: Uint32Array): LocatedPoints {
  const count = ids.length;
  const lngLat = new Float64Array(count * 2);
  const cosLat = new Float64Array(count);
  const edge = new Int32Array(count);
  const fraction = new Float64Array(count);
  const distanceMeters = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = ids[k]!;
    lngLat[2 * k] = points.lngLat[2 * i]!;
    lngLat[2 * k + 1] = points.lngLat[2 * i + 1]!;
    cosLat[k] = points.cosLat[i]!;
    edge[k] = points.snap.edge[i]!;
    fraction[k] = points.snap.fraction[i]!;
    distanceMeters[k] = points.snap.distanceMeters[i]!;
  }
  return locatedPointsOf(lngLat, cosLat, { count, edge, fraction, distanceMeters });
}
