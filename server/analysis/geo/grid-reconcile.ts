// 多格合一: reconciles a department's grids with the unified grids by exact polygon overlay of the pairs
// whose boxes overlap (Flatbush) and whose interiors may meet (a planar vertex-and-edge test that spares
// neighbours sharing a border) — Sutherland–Hodgman clipping of a simple ring by a convex ring, or by each
// triangle of the other polygon (earcut), Turf's intersect (polyclip-ts) only when neither is one simple
// ring — with geodesic areas (Turf's area).

import type { MultiPolygon, Polygon, Position } from 'geojson';
import earcut from 'earcut';
import Flatbush from 'flatbush';
import { area as turfArea, featureCollection, intersect as turfIntersect, multiPolygon as turfMultiPolygon } from '@turf/turf';
import { createPointInPolygonIndex, type PointInPolygonIndex } from './point-in-polygon-index';

/** A departmental grid, WGS84 lon/lat. */
export interface ReconcilePolygon {
  code: string;
  name: string;
  coordinates: Position[][][];
}

/** A unified grid: a polygon inside one community (12-digit code; its street is the first 9 digits). */
export interface UnifiedGridPolygon extends ReconcilePolygon {
  communityCode: string;
}

export interface ReconcileOptions {
  /** An overlap piece smaller than this is a sliver (m²)… */
  sliverAreaM2: number;
  /** …or smaller than this share of its unified grid's area. */
  sliverShare: number;
  /** Overlaps smaller than this are rounding noise of shared borders, not overlaps (m²). */
  noiseAreaM2: number;
}

export const DEFAULT_RECONCILE_OPTIONS: ReconcileOptions = { sliverAreaM2: 200, sliverShare: 0.01, noiseAreaM2: 1 };

/** IoU at or above which a best match is good, and at or above which it is fair (else poor). */
export const MATCH_IOU = { good: 0.9, fair: 0.6 } as const;
export type MatchQuality = 'good' | 'fair' | 'poor' | 'none';

/** The quality of a best match by its IoU; 'none' when no departmental grid overlaps (null). */
export function matchQuality(iou: number | null): MatchQuality {
  if (iou === null) return 'none';
  return iou >= MATCH_IOU.good ? 'good' : iou >= MATCH_IOU.fair ? 'fair' : 'poor';
}

/** One unified × departmental overlap. Areas in m²; shares in [0, 1]. */
export interface GridOverlap {
  departmentCode: string;
  departmentName: string;
  areaM2: number;
  /** Of the unified grid's area. */
  shareOfUnified: number;
  /** Of the departmental grid's area. */
  shareOfDepartment: number;
  /** Intersection over union of the two grids. */
  iou: number;
}

export interface UnifiedGridMatch {
  code: string;
  name: string;
  areaM2: number;
  /** Largest overlap first. */
  overlaps: GridOverlap[];
  /** The overlap with the highest IoU, or null when no departmental grid overlaps. */
  best: GridOverlap | null;
  quality: MatchQuality;
  /** Share of the grid covered by departmental grids (their overlaps summed). */
  coveredShare: number;
}

export interface UnitShare {
  code: string;
  name: string;
  areaM2: number;
  /** Of the departmental grid's area. */
  share: number;
}

/** A departmental grid lying in more than one community (and maybe street), each part above the sliver size. */
export interface BorderCrossing {
  departmentCode: string;
  departmentName: string;
  areaM2: number;
  /** The highest level whose border it crosses. */
  level: 'street' | 'community';
  streets: UnitShare[];
  communities: UnitShare[];
}

export interface Sliver {
  unifiedCode: string;
  departmentCode: string;
  areaM2: number;
  shareOfUnified: number;
  /** Centre of the piece's box, WGS84. */
  lngLat: [number, number];
  geometry: Polygon | MultiPolygon;
}

/** A departmental grid's area outside every unified grid. */
export interface DepartmentGap {
  departmentCode: string;
  departmentName: string;
  outsideM2: number;
  /** Of the departmental grid's area. */
  shareOutside: number;
}

export interface ReconcileSummary {
  unifiedGrids: number;
  departmentGrids: number;
  /** Unified grids by the quality of their best match. */
  byQuality: Record<MatchQuality, number>;
  /** Mean best IoU over the unified grids (0 for a grid without overlap). */
  meanBestIou: number;
  crossings: number;
  slivers: number;
  sliverAreaM2: number;
  /** Departmental area outside every unified grid (above the sliver size per grid), m². */
  gapAreaM2: number;
  gaps: number;
  /** Unified grids no departmental grid overlaps. */
  uncovered: number;
  /** Pairs whose overlay failed (degenerate geometry): counted, left out of the figures. */
  failedPairs: number;
}

export interface ReconcileReport {
  options: ReconcileOptions;
  summary: ReconcileSummary;
  /** In the unified grids' order. */
  unified: UnifiedGridMatch[];
  crossings: BorderCrossing[];
  slivers: Sliver[];
  gaps: DepartmentGap[];
  /** Codes of the unified grids no departmental grid overlaps. */
  uncovered: string[];
}

interface Prepared {
  coordinates: Position[][][];
  feature: ReturnType<typeof turfMultiPolygon>;
  areaM2: number;
  bbox: [number, number, number, number];
  /** Built on first use by interiorsMayMeet. */
  vertexKeys: Set<string> | null;
  inside: PointInPolygonIndex | null;
  interior: Position | null;
  /** The outer ring, counter-clockwise, when the shape is one polygon without holes; whether it is convex. */
  ring: Position[] | null;
  convex: boolean;
  /** Counter-clockwise closed triangles covering the shape (built on first use). */
  triangles: Position[][] | null;
}

function bboxOf(coordinates: Position[][][]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of coordinates) {
    for (const p of polygon[0] ?? []) {
      if (p[0]! < minX) minX = p[0]!;
      if (p[0]! > maxX) maxX = p[0]!;
      if (p[1]! < minY) minY = p[1]!;
      if (p[1]! > maxY) maxY = p[1]!;
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Twice the signed area of a closed ring (lon/lat plane): positive counter-clockwise. */
function signedArea2(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) sum += ring[i - 1]![0]! * ring[i]![1]! - ring[i]![0]! * ring[i - 1]![1]!;
  return sum;
}

/** Whether a counter-clockwise closed ring turns left (or goes straight) at every vertex. */
function isConvex(ring: readonly Position[]): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    const a = ring[(i + n - 1) % n]!;
    const b = ring[i]!;
    const c = ring[(i + 1) % n]!;
    if ((b[0]! - a[0]!) * (c[1]! - b[1]!) - (b[1]! - a[1]!) * (c[0]! - b[0]!) < 0) return false;
  }
  return true;
}

function prepare(polygons: readonly ReconcilePolygon[]): Prepared[] {
  return polygons.map((polygon) => {
    const feature = turfMultiPolygon(polygon.coordinates);
    const outer = polygon.coordinates.length === 1 && polygon.coordinates[0]!.length === 1 ? polygon.coordinates[0]![0]! : null;
    const ring = outer && outer.length >= 4 ? (signedArea2(outer) >= 0 ? outer : [...outer].reverse()) : null;
    return { coordinates: polygon.coordinates, feature, areaM2: turfArea(feature), bbox: bboxOf(polygon.coordinates), vertexKeys: null, inside: null, interior: null, ring, convex: ring !== null && isConvex(ring), triangles: null };
  });
}

/** The shape cut into triangles (earcut, holes respected), each a closed counter-clockwise ring. */
function trianglesOf(shape: Prepared): Position[][] {
  if (shape.triangles) return shape.triangles;
  const triangles: Position[][] = [];
  for (const polygon of shape.coordinates) {
    const flat: number[] = [];
    const holes: number[] = [];
    polygon.forEach((ring, k) => {
      if (k > 0) holes.push(flat.length / 2);
      // The closing position repeats the first: earcut wants each vertex once.
      for (let i = 0; i + 1 < ring.length; i++) flat.push(ring[i]![0]!, ring[i]![1]!);
    });
    const indices = earcut(flat, holes.length > 0 ? holes : undefined, 2);
    for (let t = 0; t < indices.length; t += 3) {
      const [a, b, c] = [indices[t]!, indices[t + 1]!, indices[t + 2]!].map((i): Position => [flat[2 * i]!, flat[2 * i + 1]!]) as [Position, Position, Position];
      const triangle = [a, b, c, a];
      const area2 = signedArea2(triangle);
      if (area2 !== 0) triangles.push(area2 > 0 ? triangle : [a, c, b, a]);
    }
  }
  shape.triangles = triangles;
  return triangles;
}

/**
 * Sutherland–Hodgman: the part of a simple ring inside a convex counter-clockwise ring (both closed), as
 * a closed ring, or null when nothing is left. A concave subject may come out with zero-width bridges
 * between its parts, which add no area.
 */
function clipByConvexRing(subject: readonly Position[], clip: readonly Position[]): Position[] | null {
  let output: Position[] = subject.slice(0, -1);
  for (let e = 0; e + 1 < clip.length && output.length > 0; e++) {
    const [ax, ay] = clip[e]! as [number, number];
    const [bx, by] = clip[e + 1]! as [number, number];
    const side = (p: Position) => (bx - ax) * (p[1]! - ay) - (by - ay) * (p[0]! - ax);
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i++) {
      const p = input[i]!;
      const q = input[(i + 1) % input.length]!;
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) output.push(p);
      if ((sp >= 0 && sq < 0) || (sp < 0 && sq >= 0)) {
        const t = sp / (sp - sq);
        output.push([p[0]! + t * (q[0]! - p[0]!), p[1]! + t * (q[1]! - p[1]!)]);
      }
    }
  }
  return output.length >= 3 ? [...output, output[0]!] : null;
}

const keyOf = (p: Position): string => `${p[0]},${p[1]}`;

function vertexKeysOf(shape: Prepared): Set<string> {
  if (!shape.vertexKeys) {
    shape.vertexKeys = new Set();
    for (const polygon of shape.coordinates) for (const ring of polygon) for (const p of ring) shape.vertexKeys.add(keyOf(p));
  }
  return shape.vertexKeys;
}

/**
 * Whether a vertex of `from` that is not a vertex of `into` lies inside `into`; `allShared` is set when
 * every vertex of `from` is one of `into`'s (the same polygon, or one drawn on its vertices).
 */
function vertexInside(from: Prepared, into: Prepared): { inside: boolean; allShared: boolean } {
  const shared = vertexKeysOf(into);
  into.inside ??= createPointInPolygonIndex(into.coordinates);
  let allShared = true;
  for (const polygon of from.coordinates) {
    for (const ring of polygon) {
      for (const p of ring) {
        if (shared.has(keyOf(p))) continue;
        allShared = false;
        if (into.inside.contains(p[0]!, p[1]!)) return { inside: true, allShared };
      }
    }
  }
  return { inside: false, allShared };
}

/**
 * A point inside the first polygon: the middle of the widest span of the horizontal line through the
 * middle of its outer ring's box (spans between crossings of its rings, even-odd, so holes are left out).
 */
function interiorPointOf(shape: Prepared): Position {
  if (shape.interior) return shape.interior;
  const polygon = shape.coordinates[0] ?? [];
  const [, minY, , maxY] = bboxOf([polygon]);
  const y = (minY + maxY) / 2;
  const xs: number[] = [];
  for (const ring of polygon) {
    for (let i = 1; i < ring.length; i++) {
      const [x0, y0] = ring[i - 1]!;
      const [x1, y1] = ring[i]!;
      if (y0! > y !== y1! > y) xs.push(x0! + ((y - y0!) / (y1! - y0!)) * (x1! - x0!));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position = [shape.bbox[0], y];
  let widest = -1;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    if (xs[k + 1]! - xs[k]! > widest) {
      widest = xs[k + 1]! - xs[k]!;
      best = [(xs[k]! + xs[k + 1]!) / 2, y];
    }
  }
  shape.interior = best;
  return best;
}

/** Whether `from`'s interior point lies inside `into`. */
function interiorPointInside(from: Prepared, into: Prepared): boolean {
  const p = interiorPointOf(from);
  into.inside ??= createPointInPolygonIndex(into.coordinates);
  return into.inside.contains(p[0]!, p[1]!);
}

/** Whether segments ab and cd cross at a point interior to both. */
function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

function edgesCross(a: Prepared, b: Prepared): boolean {
  const [bx0, by0, bx1, by1] = b.bbox;
  for (const pa of a.coordinates) {
    for (const ra of pa) {
      for (let i = 1; i < ra.length; i++) {
        const p = ra[i - 1]!;
        const q = ra[i]!;
        // Edges of a outside b's box cannot cross b.
        if (Math.max(p[0]!, q[0]!) < bx0 || Math.min(p[0]!, q[0]!) > bx1 || Math.max(p[1]!, q[1]!) < by0 || Math.min(p[1]!, q[1]!) > by1) continue;
        for (const pb of b.coordinates) {
          for (const rb of pb) {
            for (let j = 1; j < rb.length; j++) {
              if (segmentsCross(p[0]!, p[1]!, q[0]!, q[1]!, rb[j - 1]![0]!, rb[j - 1]![1]!, rb[j]![0]!, rb[j]![1]!)) return true;
            }
          }
        }
      }
    }
  }
  return false;
}

/**
 * Whether two polygons' interiors may overlap: an interior point of one, or a vertex of one that is not a
 * vertex of the other, lies inside the other, two edges cross, or one is drawn on the other's vertices
 * only. Neighbours sharing a border (and its vertices) do none of these, which spares them the exact overlay.
 */
function interiorsMayMeet(a: Prepared, b: Prepared): 'no' | 'maybe' | 'same' {
  const ab = vertexInside(a, b);
  if (ab.inside) return 'maybe';
  const ba = vertexInside(b, a);
  if (ab.allShared && ba.allShared && vertexKeysOf(a).size === vertexKeysOf(b).size && a.coordinates.length === 1 && b.coordinates.length === 1) return 'same';
  return ab.allShared || ba.inside || ba.allShared || interiorPointInside(a, b) || interiorPointInside(b, a) || edgesCross(a, b) ? 'maybe' : 'no';
}

function indexOf(prepared: readonly Prepared[]): Flatbush | null {
  if (prepared.length === 0) return null;
  const index = new Flatbush(prepared.length);
  for (const { bbox } of prepared) index.add(bbox[0], bbox[1], bbox[2], bbox[3]);
  index.finish();
  return index;
}

/** The overlay of two prepared polygons: the piece and its area, null when they do not overlap; 'failed' when the overlay throws. */
function overlay(a: Prepared, b: Prepared): { geometry: Polygon | MultiPolygon; areaM2: number } | null | 'failed' {
  const meet = interiorsMayMeet(a, b);
  if (meet === 'no') return null;
  // The same single ring (its vertices, in any order or start): the piece is the polygon itself.
  if (meet === 'same' && Math.abs(a.areaM2 - b.areaM2) <= 1e-9 * a.areaM2) return { geometry: a.feature.geometry, areaM2: a.areaM2 };
  if (a.ring && b.ring && (a.convex || b.convex)) {
    const ring = a.convex ? clipByConvexRing(b.ring, a.ring) : clipByConvexRing(a.ring, b.ring);
    if (!ring) return null;
    const geometry: Polygon = { type: 'Polygon', coordinates: [ring] };
    return { geometry, areaM2: turfArea(geometry) };
  }
  if (a.ring || b.ring) {
    // The simple ring clipped by each (convex) triangle of the other: the pieces tile the intersection.
    const [subject, cut] = b.ring ? [b.ring, a] : [a.ring!, b];
    const pieces: Position[][][] = [];
    for (const triangle of trianglesOf(cut)) {
      const piece = clipByConvexRing(subject, triangle);
      if (piece) pieces.push([piece]);
    }
    if (pieces.length === 0) return null;
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: pieces };
    return { geometry, areaM2: turfArea(geometry) };
  }
  try {
    const piece = turfIntersect(featureCollection([a.feature, b.feature]));
    return piece ? { geometry: piece.geometry, areaM2: turfArea(piece) } : null;
  } catch {
    return 'failed';
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const round4 = (value: number): number => Math.round(value * 1e4) / 1e4;
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

function roundGeometry(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (positions: Position[]) => positions.map((p) => [round6(p[0]!), round6(p[1]!)]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
}

/** Street of a community code: its first 9 digits. */
const streetOf = (communityCode: string): string => communityCode.slice(0, 9);

/**
 * Reconciles departmental grids with the unified grids (see ReconcileReport). The unified grids are taken
 * to tile their communities without overlap (the importer warns otherwise), so a departmental grid's area
 * outside the sum of its overlaps is outside every unified grid, and its area in a community (or street)
 * is the sum of its overlaps with that community's grids. `unitNames` names communities and streets.
 * Cost: one exact overlay per pair of overlapping boxes whose interiors may meet, O((n + m) log(n + m))
 * to find them.
 */
export function reconcileGrids(
  unifiedGrids: readonly UnifiedGridPolygon[],
  departmentGrids: readonly ReconcilePolygon[],
  unitNames: ReadonlyMap<string, string>,
  options: ReconcileOptions = DEFAULT_RECONCILE_OPTIONS,
): ReconcileReport {
  const unified = prepare(unifiedGrids);
  const department = prepare(departmentGrids);
  const unifiedIndex = indexOf(unified);
  const sliverLimit = (areaM2: number) => Math.max(options.sliverAreaM2, options.sliverShare * areaM2);

  const overlapsByUnified: GridOverlap[][] = unified.map(() => []);
  const overlappedByDepartment = new Float64Array(department.length);
  // Per departmental grid: its area per community, from its overlaps with the community's grids.
  const communityAreasByDepartment = department.map(() => new Map<string, number>());
  const slivers: Sliver[] = [];
  let failedPairs = 0;
  department.forEach((d, j) => {
    const candidates = unifiedIndex ? unifiedIndex.search(d.bbox[0], d.bbox[1], d.bbox[2], d.bbox[3]) : [];
    for (const i of candidates) {
      const u = unified[i]!;
      const piece = overlay(u, d);
      if (piece === 'failed') {
        failedPairs += 1;
        continue;
      }
      if (!piece || piece.areaM2 < options.noiseAreaM2) continue;
      overlappedByDepartment[j] += piece.areaM2;
      const communityCode = unifiedGrids[i]!.communityCode;
      const communityAreas = communityAreasByDepartment[j]!;
      communityAreas.set(communityCode, (communityAreas.get(communityCode) ?? 0) + piece.areaM2);
      const overlap: GridOverlap = {
        departmentCode: departmentGrids[j]!.code,
        departmentName: departmentGrids[j]!.name,
        areaM2: round2(piece.areaM2),
        shareOfUnified: round4(piece.areaM2 / u.areaM2),
        shareOfDepartment: round4(piece.areaM2 / d.areaM2),
        iou: round4(piece.areaM2 / (u.areaM2 + d.areaM2 - piece.areaM2)),
      };
      overlapsByUnified[i]!.push(overlap);
      if (piece.areaM2 < sliverLimit(u.areaM2)) {
        const [minX, minY, maxX, maxY] = bboxOf(piece.geometry.type === 'Polygon' ? [piece.geometry.coordinates] : piece.geometry.coordinates);
        slivers.push({
          unifiedCode: unifiedGrids[i]!.code,
          departmentCode: overlap.departmentCode,
          areaM2: overlap.areaM2,
          shareOfUnified: overlap.shareOfUnified,
          lngLat: [round6((minX + maxX) / 2), round6((minY + maxY) / 2)],
          geometry: roundGeometry(piece.geometry),
        });
      }
    }
  });

  const byQuality: Record<MatchQuality, number> = { good: 0, fair: 0, poor: 0, none: 0 };
  let bestIouSum = 0;
  const uncovered: string[] = [];
  const matches = unified.map((u, i): UnifiedGridMatch => {
    const overlaps = overlapsByUnified[i]!.sort((a, b) => b.areaM2 - a.areaM2);
    const best = overlaps.reduce<GridOverlap | null>((top, overlap) => (top === null || overlap.iou > top.iou ? overlap : top), null);
    const quality = matchQuality(best?.iou ?? null);
    byQuality[quality] += 1;
    bestIouSum += best?.iou ?? 0;
    if (!best) uncovered.push(unifiedGrids[i]!.code);
    const covered = overlaps.reduce((sum, overlap) => sum + overlap.areaM2, 0);
    return { code: unifiedGrids[i]!.code, name: unifiedGrids[i]!.name, areaM2: round2(u.areaM2), overlaps, best, quality, coveredShare: round4(Math.min(1, covered / u.areaM2)) };
  });

  const gaps: DepartmentGap[] = [];
  const crossings: BorderCrossing[] = [];
  department.forEach((d, j) => {
    const grid = departmentGrids[j]!;
    const outsideM2 = Math.max(0, d.areaM2 - overlappedByDepartment[j]!);
    if (outsideM2 >= sliverLimit(d.areaM2)) gaps.push({ departmentCode: grid.code, departmentName: grid.name, outsideM2: round2(outsideM2), shareOutside: round4(outsideM2 / d.areaM2) });
    const pieces = [...communityAreasByDepartment[j]!].filter(([, areaM2]) => areaM2 >= sliverLimit(d.areaM2));
    if (pieces.length < 2) return;
    const streetAreas = new Map<string, number>();
    for (const [code, areaM2] of pieces) streetAreas.set(streetOf(code), (streetAreas.get(streetOf(code)) ?? 0) + areaM2);
    const shareOf = (code: string, name: string, areaM2: number): UnitShare => ({ code, name, areaM2: round2(areaM2), share: round4(areaM2 / d.areaM2) });
    crossings.push({
      departmentCode: grid.code,
      departmentName: grid.name,
      areaM2: round2(d.areaM2),
      level: streetAreas.size > 1 ? 'street' : 'community',
      streets: [...streetAreas].sort((a, b) => b[1] - a[1]).map(([code, areaM2]) => shareOf(code, unitNames.get(code) ?? code, areaM2)),
      communities: pieces.sort((a, b) => b[1] - a[1]).map(([code, areaM2]) => shareOf(code, unitNames.get(code) ?? code, areaM2)),
    });
  });

  return {
    options,
    summary: {
      unifiedGrids: unified.length,
      departmentGrids: department.length,
      byQuality,
      meanBestIou: unified.length > 0 ? round4(bestIouSum / unified.length) : 0,
      crossings: crossings.length,
      slivers: slivers.length,
      sliverAreaM2: round2(slivers.reduce((sum, sliver) => sum + sliver.areaM2, 0)),
      gapAreaM2: round2(gaps.reduce((sum, gap) => sum + gap.outsideM2, 0)),
      gaps: gaps.length,
      uncovered: uncovered.length,
      failedPairs,
    },
    unified: matches,
    crossings,
    slivers,
    gaps,
    uncovered,
  };
}
