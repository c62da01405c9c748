// Grid polygons flattened into typed arrays with a uniform bucket index over their bounding boxes: which
// grid holds a lon/lat point (even-odd ray casting on the candidates of one bucket), uniform random
// points inside a grid (rejection in the bounding box, scanline fallback), and grid areas.

import type { Rng } from '../../server/analysis/random';

/** Metres per degree of latitude, and of longitude at the equator (spherical, R = 6,371,008.8 m). */
export const METERS_PER_DEGREE = (Math.PI / 180) * 6_371_008.8;

export interface GridGeometryIndex {
  gridCount: number;
  /** Every ring's vertices as lon, lat pairs (WGS84 degrees). */
  coords: Float64Array;
  /** Ring r has vertices ringStart[r] .. ringStart[r + 1] - 1 (vertex indices into coords / 2). */
  ringStart: Uint32Array;
  /** Grid g has rings gridRingStart[g] .. gridRingStart[g + 1] - 1 (all parts and holes; even-odd rule). */
  gridRingStart: Uint32Array;
  minLng: Float64Array;
  minLat: Float64Array;
  maxLng: Float64Array;
  maxLat: Float64Array;
  /** Grid area in square metres (local equirectangular projection at the grid's centre). */
  areaSquareMeters: Float64Array;
  /** Uniform buckets over all bounding boxes: bucket b lists grids bucketItems[bucketStart[b] .. bucketStart[b + 1] - 1]. */
  bucketOriginLng: number;
  bucketOriginLat: number;
  bucketSizeLng: number;
  bucketSizeLat: number;
  bucketColumns: number;
  bucketRows: number;
  bucketStart: Uint32Array;
  bucketItems: Uint32Array;
}

/** Shoelace area of a ring in square metres, projected around latitude `lat0`. */
function ringAreaSquareMeters(ring: readonly number[][], lat0: number): number {
  const kx = METERS_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  const ky = METERS_PER_DEGREE;
  let twiceArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    twiceArea += ring[j]![0]! * kx * (ring[i]![1]! * ky) - ring[i]![0]! * kx * (ring[j]![1]! * ky);
  }
  return Math.abs(twiceArea) / 2;
}

/**
 * Flattens grid MultiPolygons (WGS84 lon/lat, GeoJSON nesting: polygon → ring → position) and buckets
 * their bounding boxes, about two buckets per grid.
 */
export function buildGridGeometryIndex(polygons: readonly (readonly number[][][][])[]): GridGeometryIndex {
  const gridCount = polygons.length;
  let ringCount = 0;
  let vertexCount = 0;
  for (const polygon of polygons) {
    for (const part of polygon) {
      ringCount += part.length;
      for (const ring of part) vertexCount += ring.length;
    }
  }
  const coords = new Float64Array(vertexCount * 2);
  const ringStart = new Uint32Array(ringCount + 1);
  const gridRingStart = new Uint32Array(gridCount + 1);
  const minLng = new Float64Array(gridCount).fill(Infinity);
  const minLat = new Float64Array(gridCount).fill(Infinity);
  const maxLng = new Float64Array(gridCount).fill(-Infinity);
  const maxLat = new Float64Array(gridCount).fill(-Infinity);
  const areaSquareMeters = new Float64Array(gridCount);
  let ring = 0;
  let vertex = 0;
  for (let g = 0; g < gridCount; g++) {
    gridRingStart[g] = ring;
    for (const part of polygons[g]!) {
      for (const positions of part) {
        ringStart[ring++] = vertex;
        for (const position of positions) {
          const lng = position[0]!;
          const lat = position[1]!;
          coords[vertex * 2] = lng;
          coords[vertex * 2 + 1] = lat;
          vertex++;
          if (lng < minLng[g]!) minLng[g] = lng;
          if (lng > maxLng[g]!) maxLng[g] = lng;
          if (lat < minLat[g]!) minLat[g] = lat;
          if (lat > maxLat[g]!) maxLat[g] = lat;
        }
      }
    }
    const lat0 = (minLat[g]! + maxLat[g]!) / 2;
    let area = 0;
    for (const part of polygons[g]!) {
      part.forEach((positions, index) => {
        area += (index === 0 ? 1 : -1) * ringAreaSquareMeters(positions, lat0);
      });
    }
    areaSquareMeters[g] = Math.max(area, 0);
  }
  gridRingStart[gridCount] = ring;
  ringStart[ringCount] = vertex;

  let originLng = Infinity;
  let originLat = Infinity;
  let endLng = -Infinity;
  let endLat = -Infinity;
  for (let g = 0; g < gridCount; g++) {
    if (minLng[g]! < originLng) originLng = minLng[g]!;
    if (minLat[g]! < originLat) originLat = minLat[g]!;
    if (maxLng[g]! > endLng) endLng = maxLng[g]!;
    if (maxLat[g]! > endLat) endLat = maxLat[g]!;
  }
  if (gridCount === 0) {
    originLng = originLat = 0;
    endLng = endLat = 1;
  }
  // Square-ish buckets in metres, about two per grid.
  const spanLng = Math.max(endLng - originLng, 1e-9);
  const spanLat = Math.max(endLat - originLat, 1e-9);
  const aspect = (spanLng * Math.cos((((originLat + endLat) / 2) * Math.PI) / 180)) / spanLat;
  const target = Math.max(1, 2 * gridCount);
  const bucketColumns = Math.min(4096, Math.max(1, Math.round(Math.sqrt(target * aspect))));
  const bucketRows = Math.min(4096, Math.max(1, Math.round(target / bucketColumns)));
  const bucketSizeLng = (spanLng / bucketColumns) * (1 + 1e-9);
  const bucketSizeLat = (spanLat / bucketRows) * (1 + 1e-9);
  const bucketCount = bucketColumns * bucketRows;
  const bucketStart = new Uint32Array(bucketCount + 1);
  let bucketItems = new Uint32Array(0);
  let cursor = new Uint32Array(0);
  const columnOf = (lng: number): number => Math.min(bucketColumns - 1, Math.max(0, Math.floor((lng - originLng) / bucketSizeLng)));
  const rowOf = (lat: number): number => Math.min(bucketRows - 1, Math.max(0, Math.floor((lat - originLat) / bucketSizeLat)));
  for (let pass = 0; pass < 2; pass++) {
    for (let g = 0; g < gridCount; g++) {
      if (!(minLng[g]! <= maxLng[g]!)) continue;
      const c0 = columnOf(minLng[g]!);
      const c1 = columnOf(maxLng[g]!);
      const r0 = rowOf(minLat[g]!);
      const r1 = rowOf(maxLat[g]!);
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const bucket = r * bucketColumns + c;
          if (pass === 0) bucketStart[bucket + 1]!++;
          else bucketItems[cursor[bucket]!++] = g;
        }
      }
    }
    if (pass === 0) {
      for (let b = 0; b < bucketCount; b++) bucketStart[b + 1]! += bucketStart[b]!;
      bucketItems = new Uint32Array(bucketStart[bucketCount]!);
      cursor = bucketStart.slice(0, bucketCount);
    }
  }
  return {
    gridCount,
    coords,
    ringStart,
    gridRingStart,
    minLng,
    minLat,
    maxLng,
    maxLat,
    areaSquareMeters,
    bucketOriginLng: originLng,
    bucketOriginLat: originLat,
    bucketSizeLng,
    bucketSizeLat,
    bucketColumns,
    bucketRows,
    bucketStart,
    bucketItems,
  };
}
/** Even-odd ray casting over all rings of grid `g` (holes and multiple parts included). */
export function pointInGrid(index: GridGeometryIndex, g: number, lng: number, lat: number): boolean {
  if (lng < index.minLng[g]! || lng > index.maxLng[g]! || lat < index.minLat[g]! || lat > index.maxLat[g]!) return false;
  const coords = index.coords;
  let inside = false;
  for (let r = index.gridRingStart[g]!; r < index.gridRingStart[g + 1]!; r++) {
    const first = index.ringStart[r]!;
    const last = index.ringStart[r + 1]! - 1;
    for (let i = first, j = last; i <= last; j = i++) {
      const yi = coords[i * 2 + 1]!;
      const yj = coords[j * 2 + 1]!;
      if (yi > lat !== yj > lat) {
        const xi = coords[i * 2]!;
        const xj = coords[j * 2]!;
        if (lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** The grid that contains the point (the first found when grids overlap), or -1. */
export function findGridAt(index: GridGeometryIndex, lng: number, lat: number): number {
  const c = Math.floor((lng - index.bucketOriginLng) / index.bucketSizeLng);
  const r = Math.floor((lat - index.bucketOriginLat) / index.bucketSizeLat);
  if (c < 0 || r < 0 || c >= index.bucketColumns || r >= index.bucketRows) return -1;
  const bucket = r * index.bucketColumns + c;
  for (let k = index.bucketStart[bucket]!; k < index.bucketStart[bucket + 1]!; k++) {
    const g = index.bucketItems[k]!;
    if (pointInGrid(index, g, lng, lat)) return g;
  }
  return -1;
}

/**
 * Writes a random point inside grid `g` to out[0] (lng), out[1] (lat): uniform by rejection in the
 * bounding box; after 64 misses (a sliver or scattered islands) a point on a random horizontal chord.
 */
export function samplePointInGrid(index: GridGeometryIndex, g: number, rng: Rng, out: Float64Array): void {
  const minLng = index.minLng[g]!;
  const minLat = index.minLat[g]!;
  const spanLng = index.maxLng[g]! - minLng;
  const spanLat = index.maxLat[g]! - minLat;
  for (let attempt = 0; attempt < 64; attempt++) {
    const lng = minLng + rng.next() * spanLng;
    const lat = minLat + rng.next() * spanLat;
    if (pointInGrid(index, g, lng, lat)) {
      out[0] = lng;
      out[1] = lat;
      return;
    }
  }
  for (let attempt = 0; attempt < 64; attempt++) {
    const lat = minLat + (0.001 + 0.998 * rng.next()) * spanLat;
    if (samplePointOnChord(index, g, lat, rng.next(), out)) return;
  }
  out[0] = index.coords[index.ringStart[index.gridRingStart[g]!]! * 2]!;
  out[1] = index.coords[index.ringStart[index.gridRingStart[g]!]! * 2 + 1]!;
}

const chordCrossings: number[] = [];

/** A point at fraction `u` of the total inside length of the horizontal line at `lat`; false if it misses the grid. */
function samplePointOnChord(index: GridGeometryIndex, g: number, lat: number, u: number, out: Float64Array): boolean {
  const coords = index.coords;
  chordCrossings.length = 0;
  for (let r = index.gridRingStart[g]!; r < index.gridRingStart[g + 1]!; r++) {
    const first = index.ringStart[r]!;
    const last = index.ringStart[r + 1]! - 1;
    for (let i = first, j = last; i <= last; j = i++) {
      const yi = coords[i * 2 + 1]!;
      const yj = coords[j * 2 + 1]!;
      if (yi > lat !== yj > lat) {
        const xi = coords[i * 2]!;
        const xj = coords[j * 2]!;
        chordCrossings.push(((xj - xi) * (lat - yi)) / (yj - yi) + xi);
      }
    }
  }
  if (chordCrossings.length < 2) return false;
  chordCrossings.sort((a, b) => a - b);
  let insideLength = 0;
  for (let k = 0; k + 1 < chordCrossings.length; k += 2) insideLength += chordCrossings[k + 1]! - chordCrossings[k]!;
  if (!(insideLength > 0)) return false;
  let remaining = u * insideLength;
  for (let k = 0; k + 1 < chordCrossings.length; k += 2) {
    const length = chordCrossings[k + 1]! - chordCrossings[k]!;
    if (remaining <= length) {
      // Keep clear of the chord's ends, where ray casting could disagree.
      const lng = chordCrossings[k]! + Math.min(Math.max(remaining, length * 1e-6), length * (1 - 1e-6));
      if (!pointInGrid(index, g, lng, lat)) return false;
      out[0] = lng;
      out[1] = lat;
      return true;
    }
    remaining -= length;
  }
  return false;
}
