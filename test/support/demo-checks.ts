// Oracles for the demonstration layers, written independently of the generator: a tiling check of
// children against their parent by directed-segment bookkeeping (exact coordinate keys), great-circle
// lengths, a uniform grid hash for nearest-point search, a row hash of a SQLite table, the census CSV.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import DatabaseConstructor from 'better-sqlite3';
import type Database from 'better-sqlite3';
import type { MultiPolygon, Position } from 'geojson';
import { positionKey, segmentsOf } from '../server/helpers/geometry';

/**
 * How far (degrees, about 15 cm) a vertex inserted on a parent segment may lie off it: one rounding to
 * 6 decimals moves a point by at most √2 · 0.5e-6 degrees, and noding may round a point twice.
 */
export const ROUNDING_TOLERANCE_DEGREES = 1.5e-6;

export interface TilingChild {
  code: string;
  geometry: MultiPolygon;
}

export interface TilingReport {
  /** Human-readable violations; empty when the children tile the parent. */
  problems: string[];
  /** Child segments whose reverse is used by a sibling (interior edges, counted per direction). */
  pairedSegments: number;
  /** Child segments on the parent's boundary: identical to a parent segment or a piece of one. */
  boundarySegments: number;
  /** Of those, segments identical to a parent segment. */
  identicalBoundarySegments: number;
  /** Child boundary vertices that are not parent vertices (they subdivide a parent segment). */
  insertedVertices: number;
  /** Largest distance (degrees) of such a vertex from the parent segment it subdivides. */
  maxInsertedOffsetDegrees: number;
}

/** Distance (degrees, planar) from c to segment a–b, and c's parameter along a→b. */
function offsetFromSegment(a: Position, b: Position, c: Position): { distance: number; t: number } {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const lengthSquared = dx * dx + dy * dy;
  const t = ((c[0]! - a[0]!) * dx + (c[1]! - a[1]!) * dy) / lengthSquared;
  const clamped = Math.min(1, Math.max(0, t));
  return { distance: Math.hypot(a[0]! + clamped * dx - c[0]!, a[1]! + clamped * dy - c[1]!), t };
}

/**
 * Whether `children` tile `parent` exactly, by directed segments: every segment a child uses appears
 * reversed in exactly one sibling, or else runs along the parent's boundary in the parent's direction,
 * either as the parent's own segment or as a piece of one (vertices inserted on a parent segment are
 * allowed `toleranceDegrees` off it: they were rounded to 6 decimals). Each parent segment must be
 * covered end to end by one chain of such pieces, and no segment may be used twice in one direction
 * (that would be an overlap).
 */
export function checkTiling(parent: MultiPolygon, children: readonly TilingChild[], toleranceDegrees = ROUNDING_TOLERANCE_DEGREES): TilingReport {
  const problems: string[] = [];
  const parentSegments: [Position, Position][] = [];
  const parentByDirected = new Map<string, number>();
  for (const ring of parent.coordinates.flat()) {
    for (const [a, b] of segmentsOf(ring)) {
      parentByDirected.set(`${positionKey(a)};${positionKey(b)}`, parentSegments.length);
      parentSegments.push([a, b]);
    }
  }
  // Parent segments bucketed by the cells their bounding box (plus tolerance) covers.
  const cellSize = 0.005;
  const cells = new Map<string, number[]>();
  parentSegments.forEach(([a, b], index) => {
    const x0 = Math.floor((Math.min(a[0]!, b[0]!) - toleranceDegrees) / cellSize);
    const x1 = Math.floor((Math.max(a[0]!, b[0]!) + toleranceDegrees) / cellSize);
    const y0 = Math.floor((Math.min(a[1]!, b[1]!) - toleranceDegrees) / cellSize);
    const y1 = Math.floor((Math.max(a[1]!, b[1]!) + toleranceDegrees) / cellSize);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const list = cells.get(key);
        if (list) list.push(index);
        else cells.set(key, [index]);
      }
    }
  });

  const owners = new Map<string, string[]>();
  const childSegments: { code: string; a: Position; b: Position; key: string }[] = [];
  for (const child of children) {
    for (const ring of child.geometry.coordinates.flat()) {
      for (const [a, b] of segmentsOf(ring)) {
        const key = `${positionKey(a)};${positionKey(b)}`;
        if (positionKey(a) === positionKey(b)) problems.push(`${child.code}: zero-length segment at ${positionKey(a)}`);
        const list = owners.get(key);
        if (list) list.push(child.code);
        else owners.set(key, [child.code]);
        childSegments.push({ code: child.code, a, b, key });
      }
    }
  }
  for (const [key, codes] of owners) if (codes.length > 1) problems.push(`overlap: ${codes.join('+')} all run ${key}`);

  let pairedSegments = 0;
  let identicalBoundarySegments = 0;
  let insertedVertices = 0;
  let maxInsertedOffsetDegrees = 0;
  // Pieces of each parent segment: start key → end key.
  const pieces = new Map<number, Map<string, string>>();
  const addPiece = (segment: number, a: Position, b: Position): void => {
    const chain = pieces.get(segment) ?? new Map<string, string>();
    if (chain.has(positionKey(a))) problems.push(`parent segment ${segment}: two pieces start at ${positionKey(a)}`);
    chain.set(positionKey(a), positionKey(b));
    pieces.set(segment, chain);
  };
  for (const { code, a, b } of childSegments) {
    const reverse = owners.get(`${positionKey(b)};${positionKey(a)}`);
    if (reverse) {
      if (reverse.includes(code)) problems.push(`${code}: runs ${positionKey(a)}–${positionKey(b)} both ways`);
      else pairedSegments += 1;
      continue;
    }
    const identical = parentByDirected.get(`${positionKey(a)};${positionKey(b)}`);
    if (identical !== undefined) {
      identicalBoundarySegments += 1;
      addPiece(identical, a, b);
      continue;
    }
    // A piece of a parent segment: both ends on it (within tolerance), same direction; where a piece
    // starting or ending at a parent vertex is near two parent segments, the one it lies inside wins.
    const candidates = cells.get(`${Math.floor(a[0]! / cellSize)},${Math.floor(a[1]! / cellSize)}`) ?? [];
    let found = -1;
    let foundOverhang = Infinity;
    let foundOffsets: [number, number] = [0, 0];
    for (const index of candidates) {
      const [p, q] = parentSegments[index]!;
      const fromA = offsetFromSegment(p, q, a);
      const fromB = offsetFromSegment(p, q, b);
      const sameDirection = (b[0]! - a[0]!) * (q[0]! - p[0]!) + (b[1]! - a[1]!) * (q[1]! - p[1]!) > 0;
      if (fromA.distance > toleranceDegrees || fromB.distance > toleranceDegrees || !sameDirection) continue;
      const overhang = Math.max(0, -fromA.t) + Math.max(0, fromB.t - 1);
      if (overhang < foundOverhang) {
        found = index;
        foundOverhang = overhang;
        foundOffsets = [
          positionKey(a) === positionKey(p) || positionKey(a) === positionKey(q) ? 0 : fromA.distance,
          positionKey(b) === positionKey(p) || positionKey(b) === positionKey(q) ? 0 : fromB.distance,
        ];
      }
    }
    maxInsertedOffsetDegrees = Math.max(maxInsertedOffsetDegrees, ...foundOffsets);
    if (found === -1) problems.push(`${code}: ${positionKey(a)}→${positionKey(b)} is neither shared with a sibling nor on the parent's boundary`);
    else addPiece(found, a, b);
  }

  // Every parent segment is covered end to end by one chain of pieces.
  let boundarySegments = 0;
  parentSegments.forEach(([p, q], index) => {
    const chain = pieces.get(index);
    if (!chain) {
      problems.push(`parent segment ${positionKey(p)}→${positionKey(q)} is not on any child`);
      return;
    }
    boundarySegments += chain.size;
    insertedVertices += chain.size - 1;
    let at = positionKey(p);
    let steps = 0;
    while (at !== positionKey(q) && steps <= chain.size) {
      const next = chain.get(at);
      if (next === undefined) break;
      at = next;
      steps += 1;
    }
    if (at !== positionKey(q) || steps !== chain.size) {
      problems.push(`parent segment ${positionKey(p)}→${positionKey(q)}: its ${chain.size} pieces do not chain from end to end`);
    }
  });
  return { problems, pairedSegments, boundarySegments, identicalBoundarySegments, insertedVertices, maxInsertedOffsetDegrees };
}

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Great-circle (haversine) distance in metres on the mean Earth sphere. */
export function haversineMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.sqrt(a));
}

/** Points bucketed in square cells of `cellDegrees`, for "is any point within r metres" queries. */
export class PointGridHash {
  private readonly cells = new Map<string, number[]>();

  constructor(
    private readonly lngLat: ArrayLike<number>,
    private readonly cellDegrees: number,
  ) {
    for (let i = 0; i < lngLat.length / 2; i++) {
      const key = this.cellKey(Math.floor(lngLat[i * 2]! / cellDegrees), Math.floor(lngLat[i * 2 + 1]! / cellDegrees));
      const list = this.cells.get(key);
      if (list) list.push(i);
      else this.cells.set(key, [i]);
    }
  }

  private cellKey(x: number, y: number): string {
    return `${x},${y}`;
  }

  /**
   * Distance in metres to the nearest point among the cells within `reachCells` of the query's cell
   * (Infinity if none): exact whenever the result is at most reachCells × the cell's smaller side.
   */
  nearestMeters(lng: number, lat: number, reachCells = 1): number {
    const cx = Math.floor(lng / this.cellDegrees);
    const cy = Math.floor(lat / this.cellDegrees);
    let best = Infinity;
    for (let x = cx - reachCells; x <= cx + reachCells; x++) {
      for (let y = cy - reachCells; y <= cy + reachCells; y++) {
        for (const i of this.cells.get(this.cellKey(x, y)) ?? []) {
          best = Math.min(best, haversineMeters(lng, lat, this.lngLat[i * 2]!, this.lngLat[i * 2 + 1]!));
        }
      }
    }
    return best;
  }
}

/** SHA-256 of every row of a table in id order (the rows as JSON), for comparing two databases. */
export function hashTableRows(db: Database.Database, table: string, orderBy = 'id'): { rows: number; hash: string } {
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).iterate()) {
    hash.update(JSON.stringify(row));
    hash.update('\n');
    rows += 1;
  }
  return { rows, hash: hash.digest('hex') };
}

/** A database opened read-only, for direct SQL oracles next to the store. */
export function openDatabaseReadOnly(path: string): Database.Database {
  return new DatabaseConstructor(path, { readonly: true, fileMustExist: true });
}

/** County census rows (code → population, urban share), read straight from the CSV. */
export function readCensusCsv(path: string): Map<string, { population: number; urbanShare: number }> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  const at = (name: string): number => columns.indexOf(name);
  const rows = new Map<string, { population: number; urbanShare: number }>();
  for (const line of lines) {
    const cells = line.split(',');
    rows.set(cells[at('code')]!, { population: Number(cells[at('population_2020')]), urbanShare: Number(cells[at('urban_share_2020')]) });
  }
  return rows;
}

/** The value at quantile q (0..1) of ascending-sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
