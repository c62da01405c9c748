// Barriers to walking (rivers, railways) as straight segments in planar metres, in a packed Hilbert
// R-tree (flatbush), answering "does this short straight walk cross a barrier?" for service areas.

import Flatbush from 'flatbush';
import type { LocalProjection } from '../geo/local-projection';

export class BarrierIndex {
  /** x0, y0, x1, y1 per segment, metres. */
  private readonly segmentXY: Float64Array;
  private readonly index: Flatbush | null;
  readonly segmentCount: number;

  /**
   * @param lines barrier polylines, each [lng, lat] positions (WGS84 degrees)
   * @param projection the planar frame every query is in
   * @param lngLatBox only segments meeting this [minLng, minLat, maxLng, maxLat] are kept (default all)
   */
  constructor(lines: readonly (readonly (readonly number[])[])[], projection: LocalProjection, lngLatBox?: readonly number[]) {
    const [minLng, minLat, maxLng, maxLat] = lngLatBox ?? [-Infinity, -Infinity, Infinity, Infinity];
    const kept: number[] = [];
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const [lng0, lat0] = line[i - 1]!;
        const [lng1, lat1] = line[i]!;
        if (Math.max(lng0!, lng1!) < minLng! || Math.min(lng0!, lng1!) > maxLng! || Math.max(lat0!, lat1!) < minLat! || Math.min(lat0!, lat1!) > maxLat!) continue;
        const [x0, y0] = projection.toXY(line[i - 1]!);
        const [x1, y1] = projection.toXY(line[i]!);
        kept.push(x0, y0, x1, y1);
      }
    }
    this.segmentCount = kept.length / 4;
    this.segmentXY = Float64Array.from(kept);
    this.index = this.segmentCount > 0 ? new Flatbush(this.segmentCount) : null;
    for (let s = 0; s < kept.length; s += 4) {
      this.index!.add(Math.min(kept[s]!, kept[s + 2]!), Math.min(kept[s + 1]!, kept[s + 3]!), Math.max(kept[s]!, kept[s + 2]!), Math.max(kept[s + 1]!, kept[s + 3]!));
    }
    this.index?.finish();
  }

  /** Ids of the segments whose boxes meet the box (metres); empty when there are no barriers. */
  segmentsNear(minX: number, minY: number, maxX: number, maxY: number): number[] {
    return this.index ? this.index.search(minX, minY, maxX, maxY) : [];
  }

  /** Whether the segment (ax, ay)–(bx, by) crosses or touches one of `candidates` (from segmentsNear). */
  crosses(ax: number, ay: number, bx: number, by: number, candidates: readonly number[]): boolean {
    const xy = this.segmentXY;
    for (let k = 0; k < candidates.length; k++) {
      const s = candidates[k]! * 4;
      if (segmentsIntersect(ax, ay, bx, by, xy[s]!, xy[s + 1]!, xy[s + 2]!, xy[s + 3]!)) return true;
    }
    return false;
  }
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const value = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** Closed-segment intersection test (touching counts). */
export function segmentsIntersect(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  return o4 === 0 && onSegment(cx, cy, dx, dy, bx, by);
}
