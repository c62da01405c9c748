// The nearest line within a reach of each point (planar metres, a k-d tree over the points scanned
// segment by segment, as boundary risk does), and from it the unit across the nearest boundary line from
// a place: the other side of the nearest line that has the place's own unit on one side.

import KDBush from 'kdbush';
import type { LineString, MultiLineString } from 'geojson';
import { createLocalProjection } from './local-projection';

/** A line in planar metres: its parts, each [x0, y0, x1, y1, …] (a part of one vertex is a point). */
export interface PlanarLine {
  partsXY: readonly Float64Array[];
}

/**
 * For every point ([x0, y0, x1, y1, …], metres), the index of the nearest line within `reach` metres
 * (distance ≤ reach), or −1 when none is. Ties go to the lower line index. `distances`, when given (one
 * per point), receives each point's distance to that line (Infinity where none).
 */
export function nearestLineWithin(lines: readonly PlanarLine[], pointsXY: Float64Array, reach: number, distances?: Float64Array): Int32Array {
  const count = pointsXY.length >> 1;
  const nearest = new Int32Array(count).fill(-1);
  const best2 = new Float64Array(count).fill(Infinity);
  if (count > 0 && reach >= 0) {
    const index = new KDBush(count, 64, Float64Array);
    for (let p = 0; p < count; p++) index.add(pointsXY[2 * p]!, pointsXY[2 * p + 1]!);
    index.finish();
    const reach2 = reach * reach;
    for (let l = 0; l < lines.length; l++) {
      for (const part of lines[l]!.partsXY) {
        const vertices = part.length >> 1;
        // Segments v → v + 1; a part of one vertex is the degenerate segment from it to itself.
        for (let v = 0; v < Math.max(1, vertices - 1); v++) {
          if (vertices === 0) break;
          const ax = part[2 * v]!;
          const ay = part[2 * v + 1]!;
          const w = Math.min(v + 1, vertices - 1);
          const dx = part[2 * w]! - ax;
          const dy = part[2 * w + 1]! - ay;
          const segment2 = dx * dx + dy * dy;
          const candidates = index.range(Math.min(ax, ax + dx) - reach, Math.min(ay, ay + dy) - reach, Math.max(ax, ax + dx) + reach, Math.max(ay, ay + dy) + reach);
          for (const p of candidates) {
            const px = pointsXY[2 * p]!;
            const py = pointsXY[2 * p + 1]!;
            const t = segment2 > 0 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / segment2)) : 0;
            const qx = ax + t * dx - px;
            const qy = ay + t * dy - py;
            const distance2 = qx * qx + qy * qy;
            if (distance2 <= reach2 && distance2 < best2[p]!) {
              best2[p] = distance2;
              nearest[p] = l;
            }
          }
        }
      }
    }
  }
  if (distances) for (let p = 0; p < count; p++) distances[p] = Math.sqrt(best2[p]!);
  return nearest;
}

/** A boundary line between two units (WGS84), as the database stores it: right is null on an outer edge. */
export interface BoundarySides {
  leftCode: string;
  rightCode: string | null;
  geometry: LineString | MultiLineString;
}

/** Whether a place lies in a unit as far as codes tell: one code is a prefix of the other. */
const sameSide = (placeCode: string, sideCode: string): boolean => placeCode.startsWith(sideCode) || sideCode.startsWith(placeCode);

/**
 * The unit across a line from a place: the side that does not hold the place when exactly one side
 * does (by code prefix), else null (neither side is the place's, both are, or an outer edge).
 */
export function sideAcross(placeCode: string, leftCode: string, rightCode: string | null): string | null {
  if (rightCode === null) return null;
  const inLeft = sameSide(placeCode, leftCode);
  if (inLeft === sameSide(placeCode, rightCode)) return null;
  return inLeft ? rightCode : leftCode;
}

/**
 * For each place (lngLat [lng0, lat0, …] with its place code), the unit across the nearest of `lines`
 * within `reachMeters` that has the place's own unit on one side (sideAcross), or null when no such line
 * is that near. The nearest line overall, when it has the place's unit on one side, is that line; when
 * it does not (a simplified or odd geometry), the nearest one that does is taken. Places are measured
 * per unit (the code truncated to the sides' code length) in a local projection around that unit's
 * places, so distances stay true to a fraction of a percent across a province.
 */
export function otherSideCodes(lines: readonly BoundarySides[], lngLat: ArrayLike<number>, placeCodes: readonly string[], reachMeters: number): (string | null)[] {
  const count = placeCodes.length;
  const result: (string | null)[] = new Array<string | null>(count).fill(null);
  if (lines.length === 0 || count === 0) return result;
  let sideLength = 0;
  const linesBySide = new Map<string, number[]>();
  lines.forEach((line, l) => {
    for (const code of [line.leftCode, line.rightCode]) {
      if (code === null) continue;
      sideLength = Math.max(sideLength, code.length);
      const list = linesBySide.get(code);
      if (list) list.push(l);
      else linesBySide.set(code, [l]);
    }
  });
  // Places by their unit at the sides' level: a side holds the place exactly when it holds that unit.
  const groups = new Map<string, number[]>();
  for (let p = 0; p < count; p++) {
    const key = placeCodes[p]!.slice(0, sideLength);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  const partsOf = lines.map((line) => (line.geometry.type === 'LineString' ? [line.geometry.coordinates] : line.geometry.coordinates));
  for (const [key, members] of groups) {
    const candidates = new Set<number>();
    if (key.length < sideLength) {
      // A place known only to a coarser unit: any line with one side inside that unit.
      lines.forEach((line, l) => {
        if (sideAcross(key, line.leftCode, line.rightCode) !== null) candidates.add(l);
      });
    } else {
      for (let k = 1; k <= key.length; k++) for (const l of linesBySide.get(key.slice(0, k)) ?? []) candidates.add(l);
    }
    const chosen = [...candidates].filter((l) => sideAcross(key, lines[l]!.leftCode, lines[l]!.rightCode) !== null).sort((a, b) => a - b);
    if (chosen.length === 0) continue;
    let sumLng = 0;
    let sumLat = 0;
    for (const p of members) {
      sumLng += lngLat[2 * p]!;
      sumLat += lngLat[2 * p + 1]!;
    }
    const projection = createLocalProjection(sumLng / members.length, sumLat / members.length);
    const [lng0, lat0] = projection.origin;
    const kx = projection.metersPerDegreeLng;
    const ky = projection.metersPerDegreeLat;
    const pointsXY = new Float64Array(2 * members.length);
    members.forEach((p, i) => {
      pointsXY[2 * i] = (lngLat[2 * p]! - lng0) * kx;
      pointsXY[2 * i + 1] = (lngLat[2 * p + 1]! - lat0) * ky;
    });
    const planar = chosen.map(
      (l): PlanarLine => ({
        partsXY: partsOf[l]!.map((part) => {
          const xy = new Float64Array(2 * part.length);
          for (let v = 0; v < part.length; v++) {
            xy[2 * v] = (part[v]![0]! - lng0) * kx;
            xy[2 * v + 1] = (part[v]![1]! - lat0) * ky;
          }
          return xy;
        }),
      }),
    );
    const nearest = nearestLineWithin(planar, pointsXY, reachMeters);
    members.forEach((p, i) => {
      const n = nearest[i]!;
      if (n >= 0) {
        const line = lines[chosen[n]!]!;
        result[p] = sideAcross(key, line.leftCode, line.rightCode);
      }
    });
  }
  return result;
}
