// Travel costs from candidate sites to demand points, behind one small interface so the siting core
// does not care where they come from. This file holds the straight-line provider: Euclidean distance in
// a local metric projection × a stated detour factor, at walking speed, found with a k-d tree (kdbush)
// so only the demand points within reach are ever touched. A network provider (travel time over the
// walking network) implements the same interface.

import KDBush from 'kdbush';
import { DEFAULT_DETOUR_FACTOR, DEFAULT_SPEED_KMH, metersForMinutes } from '../../domain/travel-limits';
import { createLocalProjection, type LocalProjection } from '../geo/local-projection';
import { buildCandidateCosts, type CandidateCosts } from './candidate-costs';


/** How a provider measures travel, reported with every answer so users see the assumptions. */
export interface TravelCostModel {
  method: 'straight-line' | 'network';
  speedKmh: number;
  /** Straight-line only: walked distance = straight-line distance × detourFactor. */
  detourFactor?: number;
  /** One-line description, Chinese and English. */
  label: { zh: string; en: string };
}

/** Travel minutes from sites to the provider's demand points. */
export interface CoverageProvider {
  readonly model: TravelCostModel;
  readonly demandCount: number;
  /**
   * Candidate-major travel minutes from each site (`[lng0, lat0, lng1, …]`, WGS84 degrees) to every
   * demand point reachable within `maxMinutes`; pairs beyond it are left out.
   */
  siteCosts(siteLngLat: Float64Array, maxMinutes: number): CandidateCosts;
  /** Expected number of (site, demand) pairs within `maxMinutes`, from a sample of sites (for refusing oversized work). */
  estimatePairs(siteLngLat: Float64Array, maxMinutes: number): number;
}

export interface StraightLineOptions {
  speedKmh?: number;
  detourFactor?: number;
}

/**
 * Straight-line provider over demand points `[lng0, lat0, …]` (WGS84 degrees): minutes =
 * distance (metres, local projection at the points' centre) × detourFactor / metres walked per minute.
 */
export function createStraightLineProvider(demandLngLat: Float64Array, options: StraightLineOptions = {}): CoverageProvider {
  const speedKmh = options.speedKmh ?? DEFAULT_SPEED_KMH;
  const detourFactor = options.detourFactor ?? DEFAULT_DETOUR_FACTOR;
  if (!(speedKmh > 0) || !(detourFactor >= 1)) throw new Error('speedKmh must be > 0 and detourFactor ≥ 1');
  const demandCount = demandLngLat.length / 2;
  const metersPerMinute = metersForMinutes(1, speedKmh);
  const projection = projectionFor(demandLngLat);
  const index = new KDBush(Math.max(1, demandCount), 64, Float64Array);
  const xy = new Float64Array(2 * demandCount);
  for (let u = 0; u < demandCount; u++) {
    const [x, y] = projection.toXY([demandLngLat[2 * u]!, demandLngLat[2 * u + 1]!]);
    xy[2 * u] = x;
    xy[2 * u + 1] = y;
    index.add(x, y);
  }
  // KDBush needs at least one item; an empty provider indexes a point nobody queries.
  if (demandCount === 0) index.add(Infinity, Infinity);
  index.finish();

  const radiusMetersOf = (maxMinutes: number) => (maxMinutes * metersPerMinute) / detourFactor;

  return {
    model: {
      method: 'straight-line',
      speedKmh,
      detourFactor,
      label: {
        zh: `直线距离 × 绕行系数 ${detourFactor}，步行 ${speedKmh} km/h（未使用路网）`,
        en: `straight-line distance × detour factor ${detourFactor} at ${speedKmh} km/h walking (no network)`,
      },
    },
    demandCount,
    siteCosts(siteLngLat, maxMinutes) {
      const siteCount = siteLngLat.length / 2;
      const radius = radiusMetersOf(maxMinutes);
      let capacity = Math.max(1024, siteCount * 64);
      let entryCandidate = new Uint32Array(capacity);
      let entryDemand = new Uint32Array(capacity);
      let entryCost = new Float64Array(capacity);
      let count = 0;
      for (let c = 0; c < siteCount; c++) {
        const [x, y] = projection.toXY([siteLngLat[2 * c]!, siteLngLat[2 * c + 1]!]);
        if (demandCount === 0) break;
        const ids = index.within(x, y, radius);
        if (count + ids.length > capacity) {
          capacity = Math.max(2 * capacity, count + ids.length);
          entryCandidate = grow(entryCandidate, capacity);
          entryDemand = grow(entryDemand, capacity);
          entryCost = grow(entryCost, capacity);
        }
        for (let k = 0; k < ids.length; k++) {
          const u = ids[k]!;
          const dx = xy[2 * u]! - x;
          const dy = xy[2 * u + 1]! - y;
          entryCandidate[count] = c;
          entryDemand[count] = u;
          entryCost[count] = (Math.sqrt(dx * dx + dy * dy) * detourFactor) / metersPerMinute;
          count++;
        }
      }
      return buildCandidateCosts(demandCount, siteCount, entryCandidate.subarray(0, count), entryDemand.subarray(0, count), entryCost.subarray(0, count));
    },
    estimatePairs(siteLngLat, maxMinutes) {
      const siteCount = siteLngLat.length / 2;
      if (siteCount === 0 || demandCount === 0) return 0;
      const radius = radiusMetersOf(maxMinutes);
      const samples = Math.min(siteCount, 200);
      let pairs = 0;
      for (let s = 0; s < samples; s++) {
        const c = Math.floor((s * siteCount) / samples);
        const [x, y] = projection.toXY([siteLngLat[2 * c]!, siteLngLat[2 * c + 1]!]);
        pairs += index.within(x, y, radius).length;
      }
      return (pairs / samples) * siteCount;
    },
  };
}

function projectionFor(lngLat: Float64Array): LocalProjection {
  const n = lngLat.length / 2;
  if (n === 0) return createLocalProjection(0, 0);
  let minLng = Infinity;
  let maxLng = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (let u = 0; u < n; u++) {
    const lng = lngLat[2 * u]!;
    const lat = lngLat[2 * u + 1]!;
    if (lng < minLng) minLng = lng;
    if (lng > maxLng) maxLng = lng;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return createLocalProjection((minLng + maxLng) / 2, (minLat + maxLat) / 2);
}

function grow<T extends Uint32Array | Float64Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(capacity);
  next.set(array);
  return next;
}
