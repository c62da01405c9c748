// Cuts every parent polygon of one admin level into its children's Voronoi cells, one parent at a
// time, so that the children of neighbouring parents still share the parents' common border vertex
// for vertex: the points where each parent's cells cross its border (rounded to 6 decimals) are
// recorded on the border segment itself, which both neighbours share, and each parent is noded again
// with the points recorded on its border until none is new; then each face goes to the cell holding
// it inside the parent (planar-partition.ts).

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
 * The vertices noding added between consecutive original vertices of each parent ring that the
 * registry does not hold yet, with the key of the original segment they lie on.
 */
function unrecordedBorderPoints(original: MultiPolygonCoordinates, noded: MultiPolygonCoordinates, registry: BorderPoints): { key: string; point: Position }[] {
  const fresh: { key: string; point: Position }[] = [];
  original.forEach((part, p) =>
    part.forEach((ring, r) => {
      const nodedRing = noded[p]![r]!;
      let j = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        while (j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(a)) j++;
        j++;
        const key = segmentKey(a, b);
        const recorded = registry.get(key) ?? [];
        for (; j < nodedRing.length && keyOf(nodedRing[j]!) !== keyOf(b); j++) {
          const point = nodedRing[j]!;
          const known = (q: Position): boolean => q[0] === point[0] && q[1] === point[1];
          if (!recorded.some(known) && !fresh.some((f) => f.key === key && known(f.point))) fresh.push({ key, point });
        }
      }
    }),
  );
  return fresh;
}

/** Undirected keys of a parent's original border segments. */
function borderSegmentKeys(polygon: MultiPolygonCoordinates): string[] {
  const keys: string[] = [];
  for (const part of polygon) for (const ring of part) for (let i = 0; i + 1 < ring.length; i++) keys.push(segmentKey(ring[i]!, ring[i + 1]!));
  return keys;
}

const sameRings = (a: MultiPolygonCoordinates, b: MultiPolygonCoordinates): boolean =>
  a.length === b.length &&
  a.every((part, p) =>
    part.length === b[p]!.length &&
    part.every((ring, r) => {
      const other = b[p]![r]!;
      return ring.length === other.length && ring.every((q, i) => q[0] === other[i]![0] && q[1] === other[i]![1]);
    }),
  );

/**
 * Rounds of noding before the parents still unsettled keep their last new points unshared. A round
 * visits only the parents whose border gained a point, so the rounds after the first are cheap; a
 * province level settles in two or three.
 */
const MAX_BORDER_ROUNDS = 24;

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

/**
 * Child polygons by child code, the registry of border points, the rounds of noding and the border
 * points left unshared (0 unless the rounds ran out). Throws if a child ends up empty.
 */
export function partitionLevel(
  parents: readonly PartitionParent[],
  cells: readonly PartitionCell[],
): { polygons: Map<string, MultiPolygonCoordinates>; borderPoints: number; registry: BorderPoints; rounds: number; unsharedBorderPoints: number } {
  const cellsByParent = new Map<string, PartitionCell[]>();
  for (const cell of cells) {
    const list = cellsByParent.get(cell.parentCode);
    if (list) list.push(cell);
    else cellsByParent.set(cell.parentCode, [cell]);
  }
  const known = new Set(parents.map((p) => p.code));
  for (const code of cellsByParent.keys()) if (!known.has(code)) throw new Error(`cells name unknown parent ${code}`);

  // Where each parent's cells cross its border, recorded on the border segment both neighbours share.
  // A parent is noded again, with every recorded point on its border, until its noded border is
  // exactly the canonical one (original vertices plus the recorded points in order along each
  // segment). Its cells keep their noding from the round before: a cell edge already bent through a
  // rounded crossing point only meets the border again where a neighbour added a point nearby. (Noding
  // the straight cell edge afresh each round crossed the bent border a rounding step further along
  // every time, a staircase that never settled on shallow crossings.)
  const borderPoints: BorderPoints = new Map();
  const nodedByParent = new Map<string, Position[][][][]>();
  const parentsBySegment = new Map<string, PartitionParent[]>();
  const divided = parents.filter((parent) => (cellsByParent.get(parent.code)?.length ?? 0) >= 2);
  for (const parent of divided) {
    for (const key of borderSegmentKeys(parent.polygon)) {
      const list = parentsBySegment.get(key);
      if (!list) parentsBySegment.set(key, [parent]);
      else if (list[list.length - 1] !== parent) list.push(parent);
    }
  }
  let pending = divided;
  let rounds = 0;
  let unsharedBorderPoints = 0;
  for (; pending.length > 0; rounds++) {
    // Out of rounds (not seen so far): the parents still pending take every recorded point once more
    // and keep, unshared, a point that appears only now (within a rounding step of the shared edge)
    // rather than move it, which could make edges cross and leave a child without area.
    const last = rounds === MAX_BORDER_ROUNDS;
    const touched = new Set<PartitionParent>();
    for (const parent of pending) {
      const previous = nodedByParent.get(parent.code);
      const cellRings = previous ? previous.slice(1) : cellsByParent.get(parent.code)!.map((cell) => [[cell.ring]]);
      const noded = nodeRingCrossingsUntilStable([insertBorderPoints(parent.polygon, borderPoints), ...cellRings], roundPosition).units;
      nodedByParent.set(parent.code, noded);
      touched.add(parent);
      const fresh = unrecordedBorderPoints(parent.polygon, noded[0]!, borderPoints);
      if (last) {
        unsharedBorderPoints += fresh.length;
        continue;
      }
      for (const { key, point } of fresh) {
        const list = borderPoints.get(key);
        if (list) list.push(point);
        else borderPoints.set(key, [point]);
        for (const other of parentsBySegment.get(key)!) touched.add(other);
      }
    }
    if (last) break;
    pending = divided.filter(
      (parent) => touched.has(parent) && !sameRings(nodedByParent.get(parent.code)![0]!, insertBorderPoints(parent.polygon, borderPoints)),
    );
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
  return { polygons, borderPoints: count, registry: borderPoints, rounds, unsharedBorderPoints };
}

/** The exact union of polygons that share their common edges vertex for vertex. */
export function dissolvePolygons(polygons: readonly MultiPolygonCoordinates[]): MultiPolygonCoordinates {
  if (polygons.length === 1) return polygons[0]!;
  return partitionPlanarFaces([polygons.flat()])[0]!;
}
