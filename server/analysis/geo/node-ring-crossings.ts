// Nodes a set of polygon rings: wherever two segments cross, or a vertex lies inside another segment,
// the meeting point is inserted into every ring that uses those segments. Segments shared by
// neighbours are split identically (each distinct segment is noded once), so after noding the rings
// form a planar arrangement and can be rebuilt into valid polygons by their boundary chain.

import type { Position } from 'geojson';

/** Rings of one unit: polygon parts, each a list of closed rings. */
export type UnitRings = Position[][][];

interface Segment {
  a: Position;
  b: Position;
  /** Points to insert, with their parameter along a→b in (0, 1). */
  splits: { t: number; point: Position }[];
}

const keyOf = (p: Position): string => `${p[0]},${p[1]}`;

/** Orientation of c relative to a→b: >0 left, <0 right, 0 collinear. */
function cross(a: Position, b: Position, c: Position): number {
  return (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
}

/** Parameter of p's projection on a→b. */
function along(a: Position, b: Position, p: Position): number {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  return ((p[0]! - a[0]!) * dx + (p[1]! - a[1]!) * dy) / (dx * dx + dy * dy);
}

/**
 * Returns the units' rings with crossing points and touching vertices inserted, and the number of
 * points inserted. Coordinates of the input are kept exactly; inserted points are computed once per
 * crossing and shared by every ring through it. With `roundPoint` (e.g. to 6 decimals) crossing points
 * are rounded, which can leave new, tiny crossings: see nodeRingCrossingsUntilStable.
 */
export function nodeRingCrossings(
  units: readonly UnitRings[],
  { roundPoint }: { roundPoint?: (point: Position) => Position } = {},
): { units: UnitRings[]; insertedPoints: number } {
  // Vertices interned by exact coordinates; distinct segments keyed by their two vertex indices.
  const vertexIndex = new Map<string, number>();
  const vertexOf = (p: Position): number => {
    const key = keyOf(p);
    let index = vertexIndex.get(key);
    if (index === undefined) {
      index = vertexIndex.size;
      vertexIndex.set(key, index);
    }
    return index;
  };
  const segments = new Map<number, Segment>();
  const segmentKey = (a: Position, b: Position): number => {
    const va = vertexOf(a);
    const vb = vertexOf(b);
    return va < vb ? va * 67108864 + vb : vb * 67108864 + va;
  };
  for (const unit of units) {
    for (const part of unit) {
      for (const ring of part) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const key = segmentKey(a, b);
          if (!segments.has(key)) segments.set(key, vertexOf(a) < vertexOf(b) ? { a, b, splits: [] } : { a: b, b: a, splits: [] });
        }
      }
    }
  }

  const list = [...segments.values()];
  const count = list.length;
  const minXs = new Float64Array(count);
  const minYs = new Float64Array(count);
  const maxXs = new Float64Array(count);
  const maxYs = new Float64Array(count);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let totalLength = 0;
  list.forEach((sg, i) => {
    minXs[i] = Math.min(sg.a[0]!, sg.b[0]!);
    maxXs[i] = Math.max(sg.a[0]!, sg.b[0]!);
    minYs[i] = Math.min(sg.a[1]!, sg.b[1]!);
    maxYs[i] = Math.max(sg.a[1]!, sg.b[1]!);
    minX = Math.min(minX, minXs[i]!);
    minY = Math.min(minY, minYs[i]!);
    maxX = Math.max(maxX, maxXs[i]!);
    maxY = Math.max(maxY, maxYs[i]!);
    totalLength += Math.hypot(sg.b[0]! - sg.a[0]!, sg.b[1]! - sg.a[1]!);
  });
  // Uniform grid over segment bounding boxes: cells a few typical segment lengths wide, at most ~4 per segment.
  let cellSize = Math.max((totalLength / Math.max(count, 1)) * 4, 1e-12);
  while (((maxX - minX) / cellSize + 1) * ((maxY - minY) / cellSize + 1) > 4 * count + 16) cellSize *= 2;
  const columns = Math.floor((maxX - minX) / cellSize) + 1;
  const cellX = (x: number): number => Math.floor((x - minX) / cellSize);
  const cellY = (y: number): number => Math.floor((y - minY) / cellSize);
  const cells = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    for (let x = cellX(minXs[i]!), x1 = cellX(maxXs[i]!); x <= x1; x++) {
      for (let y = cellY(minYs[i]!), y1 = cellY(maxYs[i]!); y <= y1; y++) {
        const key = y * columns + x;
        const cell = cells.get(key);
        if (cell) cell.push(i);
        else cells.set(key, [i]);
      }
    }
  }

  let insertedPoints = 0;
  const addSplit = (sg: Segment, point: Position): void => {
    const t = along(sg.a, sg.b, point);
    if (t <= 0 || t >= 1) return;
    if (sg.splits.some((split) => split.point[0] === point[0] && split.point[1] === point[1])) return;
    sg.splits.push({ t, point });
    insertedPoints += 1;
  };
  for (const [cellKey, cell] of cells) {
    for (let i = 0; i < cell.length; i++) {
      for (let j = i + 1; j < cell.length; j++) {
        const p = cell[i]!;
        const q = cell[j]!;
        if (maxXs[p]! < minXs[q]! || maxXs[q]! < minXs[p]! || maxYs[p]! < minYs[q]! || maxYs[q]! < minYs[p]!) continue;
        // Test each pair once: in the cell holding the lower-left corner of their boxes' overlap.
        if (cellY(Math.max(minYs[p]!, minYs[q]!)) * columns + cellX(Math.max(minXs[p]!, minXs[q]!)) !== cellKey) continue;
        const s = list[p]!;
        const t = list[q]!;
        const d1 = cross(s.a, s.b, t.a);
        const d2 = cross(s.a, s.b, t.b);
        const d3 = cross(t.a, t.b, s.a);
        const d4 = cross(t.a, t.b, s.b);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
          // Proper crossing: one shared point, computed once.
          const ratio = d3 / (d3 - d4);
          const exact: Position = [s.a[0]! + ratio * (s.b[0]! - s.a[0]!), s.a[1]! + ratio * (s.b[1]! - s.a[1]!)];
          const point = roundPoint ? roundPoint(exact) : exact;
          addSplit(s, point);
          addSplit(t, point);
          continue;
        }
        // A vertex lying inside the other segment (T-junction or collinear overlap): split there.
        if (d1 === 0) addSplit(s, t.a);
        if (d2 === 0) addSplit(s, t.b);
        if (d3 === 0) addSplit(t, s.a);
        if (d4 === 0) addSplit(t, s.b);
      }
    }
  }
  if (insertedPoints === 0) return { units: units.map((unit) => unit), insertedPoints };

  for (const s of segments.values()) s.splits.sort((x, y) => x.t - y.t);
  const noded = units.map((unit) =>
    unit.map((part) =>
      part.map((ring) => {
        const out: Position[] = [ring[0]!];
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const s = segments.get(segmentKey(a, b))!;
          if (s.splits.length > 0) {
            const forward = s.a === a || (s.a[0] === a[0] && s.a[1] === a[1]);
            const points = forward ? s.splits : [...s.splits].reverse();
            for (const split of points) out.push(split.point);
          }
          out.push(b);
        }
        return out;
      }),
    ),
  );
  return { units: noded, insertedPoints };
}

/**
 * Nodes repeatedly until no point is inserted (rounded crossing points can move a sub-segment across a
 * neighbour by less than the rounding step). Throws if it does not settle within `maxRounds`.
 */
export function nodeRingCrossingsUntilStable(
  units: readonly UnitRings[],
  roundPoint: (point: Position) => Position,
  maxRounds = 6,
): { units: UnitRings[]; insertedPoints: number } {
  let current = units as UnitRings[];
  let total = 0;
  for (let round = 0; round < maxRounds; round++) {
    const result = nodeRingCrossings(current, { roundPoint });
    if (result.insertedPoints === 0) return { units: result.units, insertedPoints: total };
    total += result.insertedPoints;
    current = result.units;
  }
  throw new Error(`noding did not settle after ${maxRounds} rounds`);
}
