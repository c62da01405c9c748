// Geometry oracles for the server tests, written independently of server/analysis: exact segment
// bookkeeping by coordinate keys, probe points beside a segment, planar shoelace areas, even-odd
// point-in-polygon and a brute-force (grid-bucketed) search for crossing segments.

import type { LineString, MultiLineString, MultiPolygon, Position } from 'geojson';

export const positionKey = (p: Position): string => `${p[0]},${p[1]}`;

/** Key of the undirected segment a–b (endpoints in key order). */
export function segmentKey(a: Position, b: Position): string {
  const ka = positionKey(a);
  const kb = positionKey(b);
  return ka < kb ? `${ka};${kb}` : `${kb};${ka}`;
}

/** Whether a→b runs from the smaller key to the larger one (the direction segmentKey names first). */
export function runsForward(a: Position, b: Position): boolean {
  return positionKey(a) < positionKey(b);
}

/** Every consecutive pair of a ring or line. */
export function* segmentsOf(path: readonly Position[]): Generator<[Position, Position]> {
  for (let i = 0; i + 1 < path.length; i++) yield [path[i]!, path[i + 1]!];
}

/** The paths of a (Multi)LineString. */
export function linePaths(geometry: LineString | MultiLineString): Position[][] {
  return geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * A point `offset` (in coordinate units) beside the midpoint of a→b: on its left for side +1, on its
 * right for side -1.
 */
export function probeBeside(a: Position, b: Position, side: 1 | -1, offset: number): Position {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const length = Math.hypot(dx, dy);
  return [(a[0]! + b[0]!) / 2 - (dy / length) * offset * side, (a[1]! + b[1]!) / 2 + (dx / length) * offset * side];
}

/** Shoelace signed area of a closed ring, positive counter-clockwise; relative to `origin` for precision. */
export function ringArea(ring: readonly Position[], origin: Position = ring[0]!): number {
  const ox = origin[0]!;
  const oy = origin[1]!;
  let twice = 0;
  for (const [a, b] of segmentsOf(ring)) twice += (a[0]! - ox) * (b[1]! - oy) - (b[0]! - ox) * (a[1]! - oy);
  return twice / 2;
}

/** Planar area of MultiPolygon coordinates: shells minus holes, whatever their orientation. */
export function planarArea(coordinates: readonly Position[][][], origin?: Position): number {
  let area = 0;
  for (const polygon of coordinates) {
    polygon.forEach((ring, index) => {
      const a = Math.abs(ringArea(ring, origin));
      area += index === 0 ? a : -a;
    });
  }
  return area;
}

/** Even-odd ray casting over every ring (right for valid polygons: holes and parts do not overlap). */
export function pointInRings(point: Position, rings: Iterable<readonly Position[]>): boolean {
  const x = point[0]!;
  const y = point[1]!;
  let inside = false;
  for (const ring of rings) {
    for (const [a, b] of segmentsOf(ring)) {
      if (a[1]! > y !== b[1]! > y && x < ((b[0]! - a[0]!) * (y - a[1]!)) / (b[1]! - a[1]!) + a[0]!) inside = !inside;
    }
  }
  return inside;
}

export function pointInMultiPolygon(point: Position, geometry: MultiPolygon | Position[][][]): boolean {
  const coordinates = Array.isArray(geometry) ? geometry : geometry.coordinates;
  return pointInRings(point, coordinates.flat());
}

export type BBox = [number, number, number, number];

export function bboxOf(positions: Iterable<Position>): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of positions) {
    box[0] = Math.min(box[0], p[0]!);
    box[1] = Math.min(box[1], p[1]!);
    box[2] = Math.max(box[2], p[0]!);
    box[3] = Math.max(box[3], p[1]!);
  }
  return box;
}

export function bboxContains(box: BBox, p: Position): boolean {
  return p[0]! >= box[0] && p[0]! <= box[2] && p[1]! >= box[1] && p[1]! <= box[3];
}

/** Orientation of c against a→b: > 0 left, < 0 right, 0 collinear. */
export function orientation(a: Position, b: Position, c: Position): number {
  return (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
}

/** Whether v lies on a–b strictly between its endpoints. */
function strictlyInside(a: Position, b: Position, v: Position): boolean {
  return orientation(a, b, v) === 0 && (v[0]! - a[0]!) * (v[0]! - b[0]!) + (v[1]! - a[1]!) * (v[1]! - b[1]!) < 0;
}

export interface SegmentConflicts {
  /** Pairs of segments whose interiors cross at one point. */
  properCrossings: [Position, Position, Position, Position][];
  /** Pairs where an endpoint of one lies strictly inside the other (an un-noded T or overlap). */
  touchings: [Position, Position, Position, Position][];
}

/**
 * Pairs of distinct segments that cross properly or touch without sharing a vertex, by exact
 * orientation tests; segments are bucketed in a uniform grid of `cellSize` so only neighbours are paired.
 */
export function findSegmentConflicts(segments: readonly [Position, Position][], cellSize: number): SegmentConflicts {
  const cells = new Map<string, number[]>();
  segments.forEach(([a, b], index) => {
    const x0 = Math.floor(Math.min(a[0]!, b[0]!) / cellSize);
    const x1 = Math.floor(Math.max(a[0]!, b[0]!) / cellSize);
    const y0 = Math.floor(Math.min(a[1]!, b[1]!) / cellSize);
    const y1 = Math.floor(Math.max(a[1]!, b[1]!) / cellSize);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const cell = cells.get(key);
        if (cell) cell.push(index);
        else cells.set(key, [index]);
      }
    }
  });
  const seen = new Set<number>();
  const result: SegmentConflicts = { properCrossings: [], touchings: [] };
  for (const cell of cells.values()) {
    for (let i = 0; i < cell.length; i++) {
      for (let j = i + 1; j < cell.length; j++) {
        const p = Math.min(cell[i]!, cell[j]!);
        const q = Math.max(cell[i]!, cell[j]!);
        const pair = p * segments.length + q;
        if (seen.has(pair)) continue;
        seen.add(pair);
        const [a, b] = segments[p]!;
        const [c, d] = segments[q]!;
        const d1 = orientation(a, b, c);
        const d2 = orientation(a, b, d);
        const d3 = orientation(c, d, a);
        const d4 = orientation(c, d, b);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
          result.properCrossings.push([a, b, c, d]);
        } else if (strictlyInside(a, b, c) || strictlyInside(a, b, d) || strictlyInside(c, d, a) || strictlyInside(c, d, b)) {
          result.touchings.push([a, b, c, d]);
        }
      }
    }
  }
  return result;
}

/**
 * A ring in a canonical form for exact comparison: closing point dropped, rotated to start at its
 * smallest vertex (by key), orientation kept, closed again.
 */
export function canonicalRing(ring: readonly Position[]): Position[] {
  const open = ring.slice(0, -1).map((p) => [p[0]!, p[1]!]);
  let start = 0;
  open.forEach((p, index) => {
    const q = open[start]!;
    if (p[0]! < q[0]! || (p[0] === q[0] && p[1]! < q[1]!)) start = index;
  });
  const rotated = [...open.slice(start), ...open.slice(0, start)];
  return [...rotated, rotated[0]!];
}

/** MultiPolygon coordinates in canonical form: canonical rings, holes and polygons in a fixed order. */
export function canonicalMultiPolygon(coordinates: readonly Position[][][]): Position[][][] {
  const byFirstVertex = (r: Position[], s: Position[]): number => r[0]![0]! - s[0]![0]! || r[0]![1]! - s[0]![1]!;
  return coordinates
    .map((polygon) => [canonicalRing(polygon[0]!), ...polygon.slice(1).map(canonicalRing).sort(byFirstVertex)])
    .sort((p, q) => byFirstVertex(p[0]!, q[0]!));
}
