// Conversion of lon/lat positions between the coordinate systems Chinese sources use (WGS84/CGCS2000,
// GCJ-02, BD-09) with gcoord, and the 6-decimal rounding (≈ 0.1 m) every served coordinate gets.

import gcoord from 'gcoord';
import type { Position } from 'geojson';

/** Coordinate systems an importer may declare. CGCS2000 equals WGS84 at map scale. */
export type SourceCrs = 'WGS84' | 'CGCS2000' | 'GCJ02' | 'BD09';

const GCOORD_CRS = {
  WGS84: gcoord.WGS84,
  CGCS2000: gcoord.WGS84,
  GCJ02: gcoord.GCJ02,
  BD09: gcoord.BD09,
} as const;

/** Rounds degrees to 6 decimals, the precision of every coordinate the server stores and serves. */
export function roundDegrees(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Converts one [lng, lat] position (degrees) from `crs` to WGS84, rounded to 6 decimals. */
export function toWgs84(lngLat: Position, crs: SourceCrs): Position {
  const [lng, lat] = crs === 'WGS84' || crs === 'CGCS2000'
    ? [lngLat[0]!, lngLat[1]!]
    : gcoord.transform([lngLat[0]!, lngLat[1]!] as [number, number], GCOORD_CRS[crs], gcoord.WGS84);
  return [roundDegrees(lng), roundDegrees(lat)];
}

/**
 * Returns a converter that maps equal input positions to the very same output position, so vertices
 * shared by neighbouring polygons before conversion stay shared after it.
 */
export function createWgs84Converter(crs: SourceCrs): (lngLat: Position) => Position {
  const cache = new Map<string, Position>();
  return (lngLat) => {
    const key = `${lngLat[0]},${lngLat[1]}`;
    let converted = cache.get(key);
    if (!converted) {
      converted = toWgs84(lngLat, crs);
      cache.set(key, converted);
    }
    return converted;
  };
}
