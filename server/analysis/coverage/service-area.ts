// Service-area polygons. On the network: the reachable intervals of a search (whole edges and the
// partial pieces at the cutoff) are cut out of the edges' geometry, rasterised as a distance field on a
// 10–30 m grid in a local projection about the area, widened by a stated buffer without crossing
// barriers, and traced as polygons with holes (distance-raster.ts). Off the network: discs of
// straight-line radius (limit ÷ detour factor), dissolved per cluster of overlapping discs.

import KDBush from 'kdbush';
import { createLocalProjection, type LocalProjection } from '../geo/local-projection';
import type { ReachableIntervals } from '../network/reachable-edges';
import type { RoadGraph } from '../network/road-graph';
import { BarrierIndex } from './barrier-index';
import { DistanceRaster, type DistanceRasterBounds, type XYMultiPolygon } from './distance-raster';

/** MultiPolygon coordinates in WGS84 lon/lat degrees (6 decimals). */
export type LngLatMultiPolygon = number[][][][];

/** Ground metres per CSS pixel of a Web Mercator map at `zoom` and latitude `lat` (512-px tiles, as MapLibre). */
export function metersPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** Preferred raster cell, metres. */
export const DEFAULT_CELL_METERS = 15;
/** Most cells one raster may have (about 50 MB of buffers); larger areas get coarser cells. */
export const MAX_RASTER_CELLS = 6_000_000;

/** Thrown when an area is too large to trace at a cell size that still guarantees containment. */
export class ServiceAreaTooLargeError extends Error {}

/**
 * Cell side for a raster over `bounds`: the preferred size, or coarser so the raster stays within
 * MAX_RASTER_CELLS. Containment of every reachable point needs the buffer to reach the four cell
 * centres around it (cell ≤ buffer / √2), so a larger area is refused.
 */
export function chooseCellMeters(bounds: DistanceRasterBounds, bufferMeters: number, preferredMeters = DEFAULT_CELL_METERS): number {
  let cell = preferredMeters;
  const cells = DistanceRaster.cellCount(bounds, cell, bufferMeters);
  if (cells > MAX_RASTER_CELLS) cell = Math.ceil(cell * Math.sqrt(cells / MAX_RASTER_CELLS) * 1.05);
  const limit = bufferMeters / Math.SQRT2;
  if (cell > limit) {
    const widthKm = (bounds.maxX - bounds.minX) / 1000;
    const heightKm = (bounds.maxY - bounds.minY) / 1000;
    throw new ServiceAreaTooLargeError(
      `the area spans ${widthKm.toFixed(1)} × ${heightKm.toFixed(1)} km: tracing it within a ${bufferMeters} m buffer needs cells ≤ ${limit.toFixed(0)} m, i.e. more than ${MAX_RASTER_CELLS.toLocaleString('en-US')} cells`,
    );
  }
  return cell;
}

export interface NetworkServiceAreaOptions {
  /** Polygons reach this far beyond the reachable network, metres. */
  bufferMeters: number;
  /** Barrier polylines ([lng, lat] positions) the buffer must not cross. */
  barrierLines?: readonly (readonly (readonly number[])[])[];
  /** Preferred raster cell, metres (default 15; coarser for large areas). */
  cellMeters?: number;
  /**
   * For display only: simplify rings with this tolerance (metres) instead of a quarter cell, and leave
   * out holes smaller than minHoleSquareMeters. Points within the tolerance of the edge may then fall
   * outside: full detail (the default) keeps every reachable point inside.
   */
  display?: { simplifyMeters: number; minHoleSquareMeters: number };
}

export interface TracedServiceArea {
  coordinates: LngLatMultiPolygon;
  /** Raster cell used, metres. */
  cellMeters: number;
  /** Planar area of the polygons (local projection), square metres. */
  areaSquareMeters: number;
}

/** Planar pieces of reachable intervals: [x0, y0, x1, y1] per straight segment, metres in `projection`. */
export function reachableSegmentsXY(graph: RoadGraph, intervals: ReachableIntervals, projection: LocalProjection): Float64Array {
  // Graph metres → request metres: both are equirectangular, so the map is affine per axis.
  const g = graph.projection;
  const ax = projection.metersPerDegreeLng / g.metersPerDegreeLng;
  const bx = (g.origin[0] - projection.origin[0]) * projection.metersPerDegreeLng;
  const ay = projection.metersPerDegreeLat / g.metersPerDegreeLat;
  const by = (g.origin[1] - projection.origin[1]) * projection.metersPerDegreeLat;
  const { nodeXY, shapeXY, shapeOffsets, edgeFrom, edgeTo } = graph;
  const out: number[] = [];
  const px: number[] = [];
  const py: number[] = [];
  for (let k = 0; k < intervals.count; k++) {
    const e = intervals.edge[k]!;
    px.length = 0;
    py.length = 0;
    px.push(nodeXY[edgeFrom[e]! * 2]! * ax + bx);
    py.push(nodeXY[edgeFrom[e]! * 2 + 1]! * ay + by);
    for (let s = shapeOffsets[e]!; s < shapeOffsets[e + 1]!; s++) {
      px.push(shapeXY[s * 2]! * ax + bx);
      py.push(shapeXY[s * 2 + 1]! * ay + by);
    }
    px.push(nodeXY[edgeTo[e]! * 2]! * ax + bx);
    py.push(nodeXY[edgeTo[e]! * 2 + 1]! * ay + by);
    let total = 0;
    for (let i = 1; i < px.length; i++) total += Math.hypot(px[i]! - px[i - 1]!, py[i]! - py[i - 1]!);
    // The interval's shares of the walking length are taken as the same shares of the drawn line.
    const from = intervals.start[k]! * total;
    const to = intervals.end[k]! * total;
    let along = 0;
    let emitted = false;
    for (let i = 1; i < px.length; i++) {
      const length = Math.hypot(px[i]! - px[i - 1]!, py[i]! - py[i - 1]!);
      const a = Math.max(from, along);
      const b = Math.min(to, along + length);
      if (b >= a && (b > a || !emitted)) {
        const ta = length > 0 ? (a - along) / length : 0;
        const tb = length > 0 ? (b - along) / length : 0;
        const dx = px[i]! - px[i - 1]!;
        const dy = py[i]! - py[i - 1]!;
        out.push(px[i - 1]! + ta * dx, py[i - 1]! + ta * dy, px[i - 1]! + tb * dx, py[i - 1]! + tb * dy);
        emitted = true;
      }
      along += length;
      if (along > to) break;
    }
  }
  return Float64Array.from(out);
}

function boundsOfSegments(segments: Float64Array): DistanceRasterBounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < segments.length; i += 2) {
    const x = segments[i]!;
    const y = segments[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** Centre [lng, lat] of the reachable intervals' end nodes (the local projection's origin). */
function centreOfIntervals(graph: RoadGraph, intervals: ReachableIntervals): [number, number] {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (let k = 0; k < intervals.count; k++) {
    const e = intervals.edge[k]!;
    for (const node of [graph.edgeFrom[e]!, graph.edgeTo[e]!]) {
      const lng = graph.nodeLngLat[node * 2]!;
      const lat = graph.nodeLngLat[node * 2 + 1]!;
      if (lng < minLng) minLng = lng;
      if (lng > maxLng) maxLng = lng;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [(minLng + maxLng) / 2, (minLat + maxLat) / 2];
}

/**
 * Groups segments [x0, y0, x1, y1, …] into clusters that lie at least `gapMeters` apart: segments are
 * binned to square tiles of that side, and tiles sharing an edge or a corner (or a segment) are joined
 * (union-find). Returns per cluster the segment ids.
 */
export function clusterSegments(segments: Float64Array, gapMeters: number): number[][] {
  const count = segments.length / 4;
  const tileOf = new Map<string, number>();
  const parent: number[] = [];
  const tileX: number[] = [];
  const tileY: number[] = [];
  const find = (t: number): number => {
    while (parent[t] !== t) {
      parent[t] = parent[parent[t]!]!;
      t = parent[t]!;
    }
    return t;
  };
  const tile = (x: number, y: number): number => {
    const ix = Math.floor(x / gapMeters);
    const iy = Math.floor(y / gapMeters);
    const key = `${ix},${iy}`;
    let t = tileOf.get(key);
    if (t === undefined) {
      t = parent.length;
      parent.push(t);
      tileX.push(ix);
      tileY.push(iy);
      tileOf.set(key, t);
    }
    return t;
  };
  const segmentTile = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const a = tile(segments[s * 4]!, segments[s * 4 + 1]!);
    const b = tile(segments[s * 4 + 2]!, segments[s * 4 + 3]!);
    // A segment longer than a tile joins its end tiles directly.
    parent[find(b)] = find(a);
    segmentTile[s] = a;
  }
  for (let t = 0; t < tileX.length; t++) {
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const n = tileOf.get(`${tileX[t]! + dx},${tileY[t]! + dy}`);
        if (n !== undefined) parent[find(n)] = find(t);
      }
    }
  }
  const clusters = new Map<number, number[]>();
  for (let s = 0; s < count; s++) {
    const root = find(segmentTile[s]!);
    const list = clusters.get(root);
    if (list) list.push(s);
    else clusters.set(root, [s]);
  }
  return [...clusters.values()];
}

/**
 * The polygon(s) holding every reachable point of the network (the intervals) and everything within
 * `bufferMeters` of them that a straight walk reaches without crossing a barrier. Far-apart parts (more
 * than 2 km) are traced on rasters of their own. Empty when nothing is reachable.
 */
export function traceNetworkServiceArea(graph: RoadGraph, intervals: ReachableIntervals, options: NetworkServiceAreaOptions): TracedServiceArea {
  const preferred = options.cellMeters ?? DEFAULT_CELL_METERS;
  if (intervals.count === 0) return { coordinates: [], cellMeters: preferred, areaSquareMeters: 0 };
  const [lng, lat] = centreOfIntervals(graph, intervals);
  const projection = createLocalProjection(lng, lat);
  const segments = reachableSegmentsXY(graph, intervals, projection);
  const gapMeters = Math.max(2000, 4 * options.bufferMeters);
  const clusters = clusterSegments(segments, gapMeters);
  const polygons: XYMultiPolygon = [];
  let cellMeters = preferred;
  for (const members of clusters) {
    const part = new Float64Array(members.length * 4);
    members.forEach((s, k) => part.set(segments.subarray(s * 4, s * 4 + 4), k * 4));
    const bounds = boundsOfSegments(part);
    const cell = chooseCellMeters(bounds, options.bufferMeters, preferred);
    cellMeters = Math.max(cellMeters, cell);
    const raster = new DistanceRaster(bounds, cell, options.bufferMeters);
    let barriers: BarrierIndex | null = null;
    if (options.barrierLines && options.barrierLines.length > 0) {
      const reach = options.bufferMeters + 2 * cell;
      const [minLng, minLat] = projection.toLngLat([bounds.minX - reach, bounds.minY - reach]);
      const [maxLng, maxLat] = projection.toLngLat([bounds.maxX + reach, bounds.maxY + reach]);
      barriers = new BarrierIndex(options.barrierLines, projection, [minLng, minLat, maxLng, maxLat]);
      if (barriers.segmentCount === 0) barriers = null;
    }
    for (let i = 0; i < part.length; i += 4) raster.addSegment(part[i]!, part[i + 1]!, part[i + 2]!, part[i + 3]!, barriers);
    const display = options.display;
    polygons.push(...(display ? raster.trace(Math.max(cell / 4, display.simplifyMeters), display.minHoleSquareMeters) : raster.trace()));
  }
  return { coordinates: toLngLat(polygons, projection), cellMeters, areaSquareMeters: areaOf(polygons) };
}

/** Area (square metres) of planar polygons with holes (holes are clockwise, so their areas subtract). */
export function areaOf(polygons: XYMultiPolygon): number {
  let sum = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let s = 0;
      for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) s += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
      sum += s / 2;
    }
  }
  return sum;
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Planar rings → lon/lat rings rounded to 6 decimals, dropping repeated positions. */
export function toLngLat(polygons: XYMultiPolygon, projection: LocalProjection): LngLatMultiPolygon {
  const out: LngLatMultiPolygon = [];
  for (const polygon of polygons) {
    const rings: number[][][] = [];
    for (const ring of polygon) {
      const lngLat: number[][] = [];
      for (const position of ring) {
        const [lng, lat] = projection.toLngLat(position);
        const p = [round6(lng), round6(lat)];
        const last = lngLat[lngLat.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) lngLat.push(p);
      }
      if (lngLat.length >= 4) rings.push(lngLat);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

/** A disc as a polygon of `steps` vertices about [lng, lat] (radius in metres, local projection). */
export function discPolygon(lngLat: readonly [number, number], radiusMeters: number, steps = 64): number[][][] {
  const projection = createLocalProjection(lngLat[0], lngLat[1]);
  const ring: number[][] = [];
  for (let k = 0; k < steps; k++) {
    const angle = (2 * Math.PI * k) / steps;
    const [lng, lat] = projection.toLngLat([radiusMeters * Math.cos(angle), radiusMeters * Math.sin(angle)]);
    ring.push([round6(lng), round6(lat)]);
  }
  ring.push(ring[0]!.slice());
  return [ring];
}

/**
 * The union of discs of `radiusMeters` about points [lng0, lat0, …]: discs are grouped into clusters
 * of overlapping ones (union-find over a k-d tree); a lone disc is a polygon of 64 vertices, a cluster
 * is traced from a raster (cell = radius / 16) in a projection about the cluster.
 */
export function dissolveDiscs(lngLat: ArrayLike<number>, radiusMeters: number, simplifyMeters?: number): LngLatMultiPolygon {
  const count = lngLat.length / 2;
  if (count === 0 || !(radiusMeters > 0)) return [];
  // Degrees are scaled per point for the neighbour search: one degree of latitude ≈ 111 km.
  const index = new KDBush(count, 64, Float64Array);
  for (let i = 0; i < count; i++) index.add(lngLat[i * 2]!, lngLat[i * 2 + 1]!);
  index.finish();
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let i = 0; i < count; i++) {
    const lng = lngLat[i * 2]!;
    const lat = lngLat[i * 2 + 1]!;
    const projection = createLocalProjection(lng, lat);
    const dLng = (2 * radiusMeters) / projection.metersPerDegreeLng;
    const dLat = (2 * radiusMeters) / projection.metersPerDegreeLat;
    for (const j of index.range(lng - dLng, lat - dLat, lng + dLng, lat + dLat)) {
      if (j <= i) continue;
      const [x, y] = projection.toXY([lngLat[j * 2]!, lngLat[j * 2 + 1]!]);
      if (Math.hypot(x, y) < 2 * radiusMeters) parent[find(j)] = find(i);
    }
  }
  const clusters = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const members = clusters.get(root);
    if (members) members.push(i);
    else clusters.set(root, [i]);
  }
  const out: LngLatMultiPolygon = [];
  for (const members of clusters.values()) {
    if (members.length === 1) {
      const i = members[0]!;
      out.push(discPolygon([lngLat[i * 2]!, lngLat[i * 2 + 1]!], radiusMeters));
      continue;
    }
    let sumLng = 0;
    let sumLat = 0;
    for (const i of members) {
      sumLng += lngLat[i * 2]!;
      sumLat += lngLat[i * 2 + 1]!;
    }
    const projection = createLocalProjection(sumLng / members.length, sumLat / members.length);
    const xy = members.map((i) => projection.toXY([lngLat[i * 2]!, lngLat[i * 2 + 1]!]));
    const bounds = {
      minX: Math.min(...xy.map((p) => p[0])),
      minY: Math.min(...xy.map((p) => p[1])),
      maxX: Math.max(...xy.map((p) => p[0])),
      maxY: Math.max(...xy.map((p) => p[1])),
    };
    const cell = Math.max(5, radiusMeters / 16);
    const raster = new DistanceRaster(
      { minX: bounds.minX - radiusMeters, minY: bounds.minY - radiusMeters, maxX: bounds.maxX + radiusMeters, maxY: bounds.maxY + radiusMeters },
      cell,
      cell,
    );
    for (const [x, y] of xy) raster.addDisc(x, y, radiusMeters);
    out.push(...toLngLat(raster.trace(Math.max(cell / 4, simplifyMeters ?? 0)), projection));
  }
  return out;
}
