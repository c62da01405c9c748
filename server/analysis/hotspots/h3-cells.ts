// H3 hexagonal cells (Uber's H3, via h3-js) as numbers: points binned to cells, parents by bit
// arithmetic, a study area filled with cells (empty ones included), counts per cell, k-ring weights.

import { cellToBoundary, gridDisk, latLngToCell, polygonToCells, splitLongToH3Index } from 'h3-js';
import type { MultiPolygon, Polygon } from 'geojson';
import { weightsFromPairs, type SpatialWeights } from './spatial-weights';

/**
 * Resolutions the dashboard bins disputes at: world averages 5.2, 0.74 and 0.11 km² per cell; about 3.5,
 * 0.50 and 0.071 km² at Shenyang's latitude (cell areas vary by place on the icosahedron).
 */
export const H3_RESOLUTIONS = [7, 8, 9] as const;
export type H3Resolution = (typeof H3_RESOLUTIONS)[number];

const TWO_POW_32 = 4294967296;
/** Mode 1 (cell) in bits 59–62 of the index, i.e. bits 27–30 of the upper word. */
const CELL_MODE_UPPER = 1 << 27;

/**
 * A cell as one exact number: the base cell and digits of its 64-bit index (upper 20 bits of the high
 * word below the resolution field, and the low word), 52 bits in all. Mode and resolution are fixed
 * for cells of one resolution, so keys of one resolution are unique and sort like the indexes.
 */
export function h3CellKey(lower: number, upper: number): number {
  return (upper & 0xfffff) * TWO_POW_32 + (lower >>> 0);
}

/** The H3 index string of a key at `resolution`. */
export function h3KeyToIndex(key: number, resolution: number): string {
  const lower = key % TWO_POW_32;
  const upper = CELL_MODE_UPPER | (resolution << 20) | Math.floor(key / TWO_POW_32);
  return splitLongToH3Index(lower >>> 0, upper >>> 0);
}

/**
 * The key of an H3 index string: its low 52 bits, i.e. its last 13 hex digits (exact in a double), the
 * same number as h3CellKey of its split-long words.
 */
export function h3IndexToKey(index: string): number {
  return parseInt(index.length > 13 ? index.substring(index.length - 13) : index, 16);
}

/**
 * Split-long index (lower, upper words) of the parent at `parentResolution` of a cell at a finer
 * resolution, into out[0], out[1]: the resolution field set and the digits below it set to 7 (unused),
 * as H3's cellToParent does.
 */
export function h3ParentSplitLong(lower: number, upper: number, parentResolution: number, out: Uint32Array | number[]): void {
  // Digit r occupies bits 3(15 − r) … 3(15 − r) + 2; the unused digits are the low 3(15 − parent) bits.
  const unusedBits = 3 * (15 - parentResolution);
  let newLower = lower >>> 0;
  let newUpper = (upper & ~(0xf << 20)) | (parentResolution << 20);
  if (unusedBits >= 32) {
    newLower = 0xffffffff;
    newUpper |= (1 << (unusedBits - 32)) - 1;
  } else {
    newLower = (newLower | ((1 << unusedBits) - 1)) >>> 0;
    if (unusedBits === 0) newLower = lower >>> 0;
  }
  out[0] = newLower >>> 0;
  out[1] = newUpper >>> 0;
}

/**
 * The cell key of every point (lngLat = [lng0, lat0, lng1, …], WGS84 degrees) at `resolution`, into
 * `out` (a Float64Array of exact integer keys).
 */
export function binPointsToH3(lngLat: ArrayLike<number>, resolution: number, out: Float64Array = new Float64Array(lngLat.length / 2)): Float64Array {
  const count = lngLat.length / 2;
  for (let i = 0; i < count; i++) out[i] = h3IndexToKey(latLngToCell(lngLat[2 * i + 1]!, lngLat[2 * i]!, resolution));
  return out;
}

/**
 * Keys at a coarser `parentResolution` of keys at `resolution` (bit arithmetic, no h3 calls), into out.
 */
export function parentKeys(keys: ArrayLike<number>, resolution: number, parentResolution: number, out: Float64Array = new Float64Array(keys.length)): Float64Array {
  if (parentResolution > resolution) throw new Error(`parent resolution ${parentResolution} is finer than ${resolution}`);
  const split = new Uint32Array(2);
  const upperBase = CELL_MODE_UPPER | (resolution << 20);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const lower = key % TWO_POW_32;
    const upper = upperBase | Math.floor(key / TWO_POW_32);
    h3ParentSplitLong(lower, upper, parentResolution, split);
    out[i] = h3CellKey(split[0]!, split[1]!);
  }
  return out;
}

/** The cells of one resolution in a study area: sorted keys and their positions. */
export interface H3CellSet {
  resolution: number;
  /** Cell keys, ascending. */
  keys: Float64Array;
  /** key → position in `keys`. */
  indexByKey: Map<number, number>;
}

/** A cell set from keys (duplicates dropped, sorted). */
export function createH3CellSet(resolution: number, keys: Iterable<number>): H3CellSet {
  const sorted = Float64Array.from(new Set(keys)).sort();
  const indexByKey = new Map<number, number>();
  sorted.forEach((key, i) => indexByKey.set(key, i));
  return { resolution, keys: sorted, indexByKey };
}

/**
 * Keys of the cells whose centres lie inside the polygons (H3 polyfill), WGS84 GeoJSON rings; cells of
 * a study area that have no events are in it too, which keeps Gi* unbiased (an area given only its
 * non-empty cells would look uniformly busy).
 */
export function polyfillH3(polygons: readonly (Polygon | MultiPolygon)[], resolution: number): Set<number> {
  const keys = new Set<number>();
  for (const geometry of polygons) {
    const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of parts) {
      for (const index of polygonToCells(rings, resolution, true)) keys.add(h3IndexToKey(index));
    }
  }
  return keys;
}

/**
 * Binary k-ring weights on a cell set: j is a neighbour of i when it is within `k` grid steps of i and
 * in the set (H3 gridDisk). Cells at the edge of the study area have fewer neighbours.
 */
export function buildH3KRingWeights(cells: H3CellSet, k: number): SpatialWeights {
  const from: number[] = [];
  const to: number[] = [];
  const split: [number, number] = [0, 0];
  const upperBase = CELL_MODE_UPPER | (cells.resolution << 20);
  for (let i = 0; i < cells.keys.length; i++) {
    const key = cells.keys[i]!;
    split[0] = (key % TWO_POW_32) >>> 0;
    split[1] = (upperBase | Math.floor(key / TWO_POW_32)) >>> 0;
    for (const neighbor of gridDisk(split, k)) {
      const j = cells.indexByKey.get(h3IndexToKey(neighbor));
      if (j !== undefined && j !== i) {
        from.push(i);
        to.push(j);
      }
    }
  }
  return weightsFromPairs(cells.keys.length, from, to);
}

/**
 * Counts per cell of the set for points given by their keys (at the set's resolution); points in cells
 * outside the set are counted in `outside`.
 */
export function countByCell(cells: H3CellSet, pointKeys: ArrayLike<number>): { counts: Float64Array; outside: number } {
  const counts = new Float64Array(cells.keys.length);
  let outside = 0;
  for (let i = 0; i < pointKeys.length; i++) {
    const j = cells.indexByKey.get(pointKeys[i]!);
    if (j === undefined) outside++;
    else counts[j]! += 1;
  }
  return { counts, outside };
}

/** The hexagon (or pentagon) of a cell as a closed GeoJSON ring, [lng, lat] degrees. */
export function h3CellRing(key: number, resolution: number): number[][] {
  return cellToBoundary(h3KeyToIndex(key, resolution), true);
}
