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
 * crossing and shared by every ring through it.
 */
export function nodeRingCrossings(units: readonly UnitRings[]): { units: UnitRings[]; insertedPoints: number } {
  const segments = new Map<string, Segment>();
  const segmentKey = (a: Position, b: Position): string => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? `${ka};${kb}` : `${kb};${ka}`;
  };
  for (const unit of units) {
    for (const part of unit) {
      for (const ring of part) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const a = ring[i]!;
          const b = ring[i + 1]!;
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const key = segmentKey(a, b);
          if (!segments.has(key)) segments.set(key, keyOf(a) < keyOf(b) ? { a, b, splits: [] } : { a: b, b: a, splits: [] });
        }
      }
    }
  }

  const list = [...segments.values()];
  // Uniform grid over segment bounding boxes; cell size a few typical segment lengths.
  let totalLength = 0;
  for (const s of list) totalLength += Math.hypot(s.b[0]! - s.a[0]!, s.b[1]! - s.a[1]!);
  const cellSize = Math.max((totalLength / Math.max(list.length, 1)) * 4, 1e-9);
  const cells = new Map<string, number[]>();
  list.forEach((s, index) => {
    const x0 = Math.floor(Math.min(s.a[0]!, s.b[0]!) / cellSize);
    const x1 = Math.floor(Math.max(s.a[0]!, s.b[0]!) / cellSize);
    const y0 = Math.floor(Math.min(s.a[1]!, s.b[1]!) / cellSize);
    const y1 = Math.floor(Math.max(s.a[1]!, s.b[1]!) / cellSize);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const cell = cells.get(key);
        if (cell) cell.push(index);
        else cells.set(key, [index]);
      }
    }
  });

  const tested = new Set<string>();
  let insertedPoints = 0;
  const addSplit = (s: Segment, point: Position): void => {
    const t = along(s.a, s.b, point);
    if (t <= 0 || t >= 1) return;
    if (s.splits.some((split) => split.point[0] === point[0] && split.point[1] === point[1])) return;
    s.splits.push({ t, point });
    insertedPoints += 1;
  };
  for (const cell of cells.values()) {
    for (let i = 0; i < cell.length; i++) {
      for (let j = i + 1; j < cell.length; j++) {
        const p = cell[i]!;
        const q = cell[j]!;
        const pairKey = p < q ? `${p},${q}` : `${q},${p}`;
        if (tested.has(pairKey)) continue;
        tested.add(pairKey);
        const s = list[p]!;
        const t = list[q]!;
        if (
          Math.max(s.a[0]!, s.b[0]!) < Math.min(t.a[0]!, t.b[0]!) ||
          Math.max(t.a[0]!, t.b[0]!) < Math.min(s.a[0]!, s.b[0]!) ||
          Math.max(s.a[1]!, s.b[1]!) < Math.min(t.a[1]!, t.b[1]!) ||
          Math.max(t.a[1]!, t.b[1]!) < Math.min(s.a[1]!, s.b[1]!)
        ) {
          continue;
        }
        const d1 = cross(s.a, s.b, t.a);
        const d2 = cross(s.a, s.b, t.b);
        const d3 = cross(t.a, t.b, s.a);
        const d4 = cross(t.a, t.b, s.b);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
          // Proper crossing: one shared point, computed once.
          const ratio = d3 / (d3 - d4);
          const point: Position = [s.a[0]! + ratio * (s.b[0]! - s.a[0]!), s.a[1]! + ratio * (s.b[1]! - s.a[1]!)];
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
