// Cuts every parent polygon of one admin level into its children's Voronoi cells, one parent at a
// time, so that the children of neighbouring parents still share the parents' common border vertex
// for vertex: a first pass records where each parent's cells cross its border (points rounded to
// 6 decimals) on the border segment itself, which both neighbours share; the second pass inserts all
// recorded points into each parent's rings, nodes the parent with its own cells and gives each face
// to the cell holding it inside the parent (planar-partition.ts).

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
type BorderPoints = Map<string, Position[]>;

/** Records the vertices noding added between consecutive original vertices of each parent ring. */
function recordBorderPoints(original: MultiPolygonCoordinates, noded: MultiPolygonCoordinates, into: BorderPoints): void {
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
        for (const point of inserted) if (!list.some((q) => q[0] === point[0] && q[1] === point[1])) list.push(point);
        into.set(key, list);
      }
    }),
  );
}

/** The parent's rings with every recorded border point inserted in order along its segment. */
function insertBorderPoints(polygon: MultiPolygonCoordinates, points: BorderPoints): MultiPolygonCoordinates {
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

/** The parent's own arrangement: which face goes to which of its cells. */
function cutParent(polygon: MultiPolygonCoordinates, cells: readonly PartitionCell[]): MultiPolygonCoordinates[] {
  const noded = nodeRingCrossingsUntilStable([polygon, ...cells.map((cell) => [[cell.ring]])], roundPosition);
  const result = partitionPlanarFaces(noded.units, (windingByUnit) => {
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
): { polygons: Map<string, MultiPolygonCoordinates>; borderPoints: number } {
  const cellsByParent = new Map<string, PartitionCell[]>();
  for (const cell of cells) {
    const list = cellsByParent.get(cell.parentCode);
    if (list) list.push(cell);
    else cellsByParent.set(cell.parentCode, [cell]);
  }
  const known = new Set(parents.map((p) => p.code));
  for (const code of cellsByParent.keys()) if (!known.has(code)) throw new Error(`cells name unknown parent ${code}`);

  // Pass 1: where each parent's cells cross its border.
  const borderPoints: BorderPoints = new Map();
  for (const parent of parents) {
    const own = cellsByParent.get(parent.code) ?? [];
    if (own.length < 2) continue;
    const noded = nodeRingCrossingsUntilStable([parent.polygon, ...own.map((cell) => [[cell.ring]])], roundPosition);
    recordBorderPoints(parent.polygon, noded.units[0]!, borderPoints);
  }

  // Pass 2: cut each parent, its border carrying the points of both sides.
  const polygons = new Map<string, MultiPolygonCoordinates>();
  for (const parent of parents) {
    const own = cellsByParent.get(parent.code) ?? [];
    if (own.length === 0) continue;
    const border = insertBorderPoints(parent.polygon, borderPoints);
    const pieces = own.length === 1 ? [border] : absorbStrayPieces(cutParent(border, own));
    own.forEach((cell, index) => {
      const polygon = pieces[index]!;
      if (polygon.length === 0) throw new Error(`child ${cell.code} of ${cell.parentCode} received no area`);
      polygons.set(cell.code, polygon);
    });
  }
  let count = 0;
  for (const list of borderPoints.values()) count += list.length;
  return { polygons, borderPoints: count };
}
