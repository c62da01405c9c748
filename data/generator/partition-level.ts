// Cuts every parent polygon of one admin level into its children's Voronoi cells, one parent at a
// time, so that the children of neighbouring parents still share the parents' common border vertex
// for vertex: the points where each parent's cells cross its border (rounded to 6 decimals) are
// recorded on the border segment itself, which both neighbours share, and every parent is noded with
// all recorded points until none is new; then each face goes to the cell holding it inside the
// parent (planar-partition.ts).

import type { Position } from 'geojson';
import { nodeRingCrossingsUntilStable } from '../../server/analysis/geo/node-ring-crossings';
import { partitionPlanarFaces, type MultiPolygonCoordinates } from '../../server/analysis/geo/planar-partition';
import { roundDegrees } from '../../server/ingest/coordinate-systems';

export interface PartitionParent {
  code: string;
  polygon: MultiPolygonCoordinates;
}

export interface PartitionCell {
  code: string;
  parentCode: string;
  /** Closed lon/lat ring (a convex Voronoi cell, larger than its share of the parent). */
  ring: Position[];
}

const roundPosition = (p: Position): Position => [roundDegrees(p[0]!), roundDegrees(p[1]!)];
const keyOf = (p: Position): string => `${p[0]},${p[1]}`;
const segmentKey = (a: Position, b: Position): string => {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? `${ka};${kb}` : `${kb};${ka}`;
};

/** Points recorded on parent border segments, by undirected segment. */
export type BorderPoints = Map<string, Position[]>;

/**
 * Records the vertices noding added between consecutive original vertices of each parent ring (keyed
 * by the original segment); returns how many were not recorded before.
 */
function recordBorderPoints(original: MultiPolygonCoordinates, noded: MultiPolygonCoordinates, into: BorderPoints): number {
  let added = 0;
  original.forEach((part, p) =>
    part.forEach((ring, r) => {
      const nodedRing = noded[p]![r]!;
      let j = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        while (j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(a)) j++;
        j++;
        const inserted: Position[] = [];
        while (j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(b)) inserted.push(nodedRing[j++]!);
        if (inserted.length === 0) continue;
        const key = segmentKey(a, b);
        const list = into.get(key) ?? [];
        for (const point of inserted) {
          if (!list.some((q) => q[0] === point[0] && q[1] === point[1])) {
            list.push(point);
            added += 1;
          }
        }
        into.set(key, list);
      }
    }),
  );
  return added;
}

/** Rounds of noding with the recorded border points before the remaining new ones are snapped. */
const MAX_BORDER_ROUNDS = 4;

/**
 * Moves every point on the parent's border that the registry does not hold to the nearest point of
 * that border segment which it does hold (or the segment's end), in all the parent's noded rings,
 * dropping the repeated vertices this leaves.
 */
function snapUnrecordedBorderPoints(original: MultiPolygonCoordinates, nodedUnits: Position[][][][], registry: BorderPoints): Position[][][][] {
  const replacement = new Map<string, Position>();
  original.forEach((part, p) =>
    part.forEach((ring, r) => {
      const nodedRing = nodedUnits[0]![p]![r]!;
      let j = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        while (j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(a)) j++;
        j++;
        const recorded = registry.get(segmentKey(a, b)) ?? [];
        const anchors = [a, b, ...recorded];
        while (j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(b)) {
          const point = nodedRing[j++]!;
          if (recorded.some((q) => q[0] === point[0] && q[1] === point[1])) continue;
          let nearest = a;
          let best = Infinity;
          for (const anchor of anchors) {
            const d = (anchor[0]! - point[0]!) ** 2 + (anchor[1]! - point[1]!) ** 2;
            if (d < best) {
              best = d;
              nearest = anchor;
            }
          }
          replacement.set(keyOf(point), nearest);
        }
      }
    }),
  );
  if (replacement.size === 0) return nodedUnits;
  return nodedUnits.map((unit) =>
    unit.map((part) =>
      part.map((ring) => {
        const out: Position[] = [];
        for (const point of ring) {
          const moved = replacement.get(keyOf(point)) ?? point;
          const last = out[out.length - 1];
          if (!last || last[0] !== moved[0] || last[1] !== moved[1]) out.push(moved);
        }
        return out;
      }),
    ),
  );
}

/** The parent's rings with every recorded border point inserted in order along its segment. */
export function insertBorderPoints(polygon: MultiPolygonCoordinates, points: BorderPoints): MultiPolygonCoordinates {
  return polygon.map((part) =>
    part.map((ring) => {
      const out: Position[] = [ring[0]!];
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        const inserted = points.get(segmentKey(a, b));
        if (inserted) {
          const dx = b[0]! - a[0]!;
          const dy = b[1]! - a[1]!;
          const along = (p: Position): number => (p[0]! - a[0]!) * dx + (p[1]! - a[1]!) * dy;
          for (const p of [...inserted].sort((u, v) => along(u) - along(v))) out.push(p);
        }
        out.push(b);
      }
      return out;
    }),
  );
}

/** The parent's own arrangement (noded together with its cells): which face goes to which cell. */
function cutParent(nodedUnits: Position[][][][]): MultiPolygonCoordinates[] {
  const result = partitionPlanarFaces(nodedUnits, (windingByUnit) => {
    if ((windingByUnit.get(0) ?? 0) < 1) return -1;
    let owner = -1;
    for (const [unit, winding] of windingByUnit) if (unit > 0 && winding >= 1 && (owner === -1 || unit < owner)) owner = unit;
    return owner;
  });
  return result.slice(1);
}

const planarArea = (part: Position[][]): number => {
  let total = 0;
  part.forEach((ring, r) => {
    let twice = 0;
    for (let i = 0; i + 1 < ring.length; i++) twice += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
    total += (r === 0 ? 1 : -1) * Math.abs(twice / 2);
  });
  return total;
};

/**
 * A convex cell cut by a ragged parent can leave a child stray pieces besides its main body. Each
 * stray piece that shares a border with a sibling joins the sibling sharing the longest border (an
 * exact union: the pieces share their vertices); islands and pieces touching only at a point stay.
 */
function absorbStrayPieces(pieces: MultiPolygonCoordinates[]): MultiPolygonCoordinates[] {
  const owners = new Map<string, number>(); // directed segment "a;b" → child using it in that direction
  pieces.forEach((polygon, child) => {
    for (const part of polygon) for (const ring of part) for (let i = 0; i + 1 < ring.length; i++) owners.set(`${keyOf(ring[i]!)};${keyOf(ring[i + 1]!)}`, child);
  });
  const kept: Position[][][][] = pieces.map(() => []);
  const received: Position[][][][] = pieces.map(() => []);
  pieces.forEach((polygon, child) => {
    if (polygon.length < 2) {
      kept[child] = polygon;
      return;
    }
    const main = polygon.reduce((best, part) => (planarArea(part) > planarArea(best) ? part : best), polygon[0]!);
    for (const part of polygon) {
      if (part === main) {
        kept[child]!.push(part);
        continue;
      }
      const shared = new Map<number, number>();
      for (const ring of part) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const neighbour = owners.get(`${keyOf(ring[i + 1]!)};${keyOf(ring[i]!)}`);
          if (neighbour === undefined || neighbour === child) continue;
          const length = Math.hypot(ring[i + 1]![0]! - ring[i]![0]!, ring[i + 1]![1]! - ring[i]![1]!);
          shared.set(neighbour, (shared.get(neighbour) ?? 0) + length);
        }
      }
      let target = -1;
      let longest = 0;
      for (const [neighbour, length] of shared) if (length > longest || (length === longest && neighbour < target)) [target, longest] = [neighbour, length];
      if (target === -1) kept[child]!.push(part);
      else received[target]!.push(part);
    }
  });
  return kept.map((parts, child) =>
    received[child]!.length === 0 ? parts : partitionPlanarFaces([[...parts, ...received[child]!]])[0]!,
  );
}

/** Child polygons by child code; throws if a child ends up empty. */
export function partitionLevel(
  parents: readonly PartitionParent[],
  cells: readonly PartitionCell[],
): { polygons: Map<string, MultiPolygonCoordinates>; borderPoints: number; registry: BorderPoints } {
  const cellsByParent = new Map<string, PartitionCell[]>();
  for (const cell of cells) {
    const list = cellsByParent.get(cell.parentCode);
    if (list) list.push(cell);
    else cellsByParent.set(cell.parentCode, [cell]);
  }
  const known = new Set(parents.map((p) => p.code));
  for (const code of cellsByParent.keys()) if (!known.has(code)) throw new Error(`cells name unknown parent ${code}`);

  // Where each parent's cells cross its border, recorded on the border segment both neighbours share.
  // A rounded crossing point can make a cell edge cross the border again a hair away, so the parents
  // are noded again with every recorded point until no new point appears on any border.
  const borderPoints: BorderPoints = new Map();
  let nodedByParent = new Map<string, Position[][][][]>();
  for (let round = 0; ; round++) {
    nodedByParent = new Map();
    let added = 0;
    const settling = round === MAX_BORDER_ROUNDS;
    for (const parent of parents) {
      const own = cellsByParent.get(parent.code) ?? [];
      if (own.length < 2) continue;
      const border = insertBorderPoints(parent.polygon, borderPoints);
      const noded = nodeRingCrossingsUntilStable([border, ...own.map((cell) => [[cell.ring]])], roundPosition);
      // The last round records nothing more: a point still new moves to the nearest recorded one, so
      // the neighbour, which does not have it, is not needed to agree.
      nodedByParent.set(parent.code, settling ? snapUnrecordedBorderPoints(parent.polygon, noded.units, borderPoints) : noded.units);
      if (!settling) added += recordBorderPoints(parent.polygon, noded.units[0]!, borderPoints);
    }
    if (added === 0 || settling) break;
  }

  // Cut each parent; its border carries the points of both sides.
  const polygons = new Map<string, MultiPolygonCoordinates>();
  for (const parent of parents) {
    const own = cellsByParent.get(parent.code) ?? [];
    if (own.length === 0) continue;
    const pieces = own.length === 1 ? [insertBorderPoints(parent.polygon, borderPoints)] : absorbStrayPieces(cutParent(nodedByParent.get(parent.code)!));
    own.forEach((cell, index) => {
      const polygon = pieces[index]!;
      if (polygon.length === 0) throw new Error(`child ${cell.code} of ${cell.parentCode} received no area`);
      polygons.set(cell.code, polygon);
    });
  }
  let count = 0;
  for (const list of borderPoints.values()) count += list.length;
  return { polygons, borderPoints: count, registry: borderPoints };
}

/** The exact union of polygons that share their common edges vertex for vertex. */
export function dissolvePolygons(polygons: readonly MultiPolygonCoordinates[]): MultiPolygonCoordinates {
  if (polygons.length === 1) return polygons[0]!;
  return partitionPlanarFaces([polygons.flat()])[0]!;
}
