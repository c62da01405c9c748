// Polygons around reachable pieces of a network (or discs) by rasterising a distance field: each cell
// centre of a square grid stores its distance to the nearest piece (a straight walk that crosses no
// barrier), and the zone "distance ≤ range" is traced with marching squares (d3-contour), linear
// interpolation between cell centres, per 4-connected component so holes are assigned in O(ring), then
// lightly simplified (Douglas-Peucker). Planar metres in; rings in metres out, exterior rings
// counter-clockwise and holes clockwise (RFC 7946 once mapped back to lon/lat).

import type { BarrierIndex } from './barrier-index';

/** A MultiPolygon's coordinates in planar metres: polygons → rings → [x, y] positions (closed). */
export type XYMultiPolygon = number[][][][];

export interface DistanceRasterBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * A square grid over a box, holding per cell centre the smallest (distance − allowance) to what was
 * added. The zone it traces is where that value is ≤ `rangeMeters`.
 */
export class DistanceRaster {
  readonly width: number;
  readonly height: number;
  /** Left / bottom edge of cell (0, 0), metres. */
  readonly originX: number;
  readonly originY: number;
  /** Distance (metres, minus allowances) per cell, row-major from the bottom row; 2·range = nothing near. */
  readonly distance: Float32Array;
  /** Cells are filled this far beyond the range so the boundary interpolates between true distances. */
  private readonly reachMeters: number;

  /**
   * @param bounds box the zone must fit in (metres); the grid adds a margin of range + 2 cells
   * @param cellMeters side of a cell, metres
   * @param rangeMeters the zone's distance from what is added (the buffer), metres
   */
  constructor(
    bounds: DistanceRasterBounds,
    readonly cellMeters: number,
    readonly rangeMeters: number,
  ) {
    const margin = rangeMeters + 2 * cellMeters;
    this.originX = bounds.minX - margin;
    this.originY = bounds.minY - margin;
    this.width = Math.max(1, Math.ceil((bounds.maxX + margin - this.originX) / cellMeters));
    this.height = Math.max(1, Math.ceil((bounds.maxY + margin - this.originY) / cellMeters));
    this.distance = new Float32Array(this.width * this.height).fill(2 * rangeMeters);
    this.reachMeters = rangeMeters + 1.5 * cellMeters;
  }

  /** Number of cells a raster over `bounds` would have (to refuse oversized work before allocating). */
  static cellCount(bounds: DistanceRasterBounds, cellMeters: number, rangeMeters: number): number {
    const margin = 2 * (rangeMeters + 2 * cellMeters);
    return Math.ceil((bounds.maxX - bounds.minX + margin) / cellMeters) * Math.ceil((bounds.maxY - bounds.minY + margin) / cellMeters);
  }

  /**
   * Adds the segment (x0, y0)–(x1, y1): every cell centre within reach gets its distance to the
   * segment, unless the straight walk from the nearest point of the segment to the centre crosses a
   * barrier.
   */
  addSegment(x0: number, y0: number, x1: number, y1: number, barriers: BarrierIndex | null): void {
    const reach = this.reachMeters;
    const near = barriers ? barriers.segmentsNear(Math.min(x0, x1) - reach, Math.min(y0, y1) - reach, Math.max(x0, x1) + reach, Math.max(y0, y1) + reach) : null;
    const blockers = near && near.length > 0 ? near : null;
    const cell = this.cellMeters;
    const i0 = Math.max(0, Math.floor((Math.min(x0, x1) - reach - this.originX) / cell));
    const i1 = Math.min(this.width - 1, Math.floor((Math.max(x0, x1) + reach - this.originX) / cell));
    const j0 = Math.max(0, Math.floor((Math.min(y0, y1) - reach - this.originY) / cell));
    const j1 = Math.min(this.height - 1, Math.floor((Math.max(y0, y1) + reach - this.originY) / cell));
    const dx = x1 - x0;
    const dy = y1 - y0;
    const lengthSquared = dx * dx + dy * dy;
    const distance = this.distance;
    const reachSquared = reach * reach;
    for (let j = j0; j <= j1; j++) {
      const cy = this.originY + (j + 0.5) * cell;
      for (let i = i0; i <= i1; i++) {
        const cx = this.originX + (i + 0.5) * cell;
        let t = lengthSquared > 0 ? ((cx - x0) * dx + (cy - y0) * dy) / lengthSquared : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const nx = x0 + t * dx;
        const ny = y0 + t * dy;
        const ex = cx - nx;
        const ey = cy - ny;
        const d2 = ex * ex + ey * ey;
        if (d2 > reachSquared) continue;
        const k = j * this.width + i;
        const d = Math.sqrt(d2);
        if (d >= distance[k]!) continue;
        if (blockers && barriers!.crosses(nx, ny, cx, cy, blockers)) continue;
        distance[k] = d;
      }
    }
  }

  /** Adds a disc of `radiusMeters` about (x, y): its cells get distance − (radius − range). */
  addDisc(x: number, y: number, radiusMeters: number): void {
    const allowance = radiusMeters - this.rangeMeters;
    const reach = radiusMeters + 1.5 * this.cellMeters;
    const cell = this.cellMeters;
    const i0 = Math.max(0, Math.floor((x - reach - this.originX) / cell));
    const i1 = Math.min(this.width - 1, Math.floor((x + reach - this.originX) / cell));
    const j0 = Math.max(0, Math.floor((y - reach - this.originY) / cell));
    const j1 = Math.min(this.height - 1, Math.floor((y + reach - this.originY) / cell));
    const distance = this.distance;
    for (let j = j0; j <= j1; j++) {
      const ey = this.originY + (j + 0.5) * cell - y;
      for (let i = i0; i <= i1; i++) {
        const ex = this.originX + (i + 0.5) * cell - x;
        const d = Math.sqrt(ex * ex + ey * ey) - allowance;
        const k = j * this.width + i;
        if (d < distance[k]!) distance[k] = d;
      }
    }
  }

  /**
   * Traces the zone (distance ≤ range) as polygons with holes, in metres. Rings are simplified with
   * tolerance `simplifyMeters` (default a quarter cell; 0 keeps every marching-squares vertex); holes
   * smaller than `minHoleSquareMeters` are left out (default: none).
   */
  trace(simplifyMeters = this.cellMeters / 4, minHoleSquareMeters = 0): XYMultiPolygon {
    const inside = new Uint8Array(this.distance.length);
    for (let k = 0; k < inside.length; k++) inside[k] = this.distance[k]! <= this.rangeMeters ? 1 : 0;
    const labels = labelComponents(inside, this.width);
    const rings = traceIsoRings(this.distance, inside, this.width, this.height, this.rangeMeters, labels.label);
    const cell = this.cellMeters;
    // Grid point (i, j) is the centre of cell (i, j).
    const ox = this.originX + 0.5 * cell;
    const oy = this.originY + 0.5 * cell;
    const outer: (number[][][] | null)[] = new Array<number[][][] | null>(labels.count).fill(null);
    const holes: number[][][][] = Array.from({ length: labels.count }, () => []);
    for (const ring of rings) {
      let xy = ring.points.map(([u, v]) => [ox + u! * cell, oy + v! * cell]);
      if (simplifyMeters > 0) xy = simplifyRing(xy, simplifyMeters);
      if (xy.length < 4) continue;
      if (ring.area > 0) outer[ring.component] = [xy];
      else holes[ring.component]!.push(xy);
    }
    const polygons: XYMultiPolygon = [];
    for (let c = 0; c < labels.count; c++) {
      const polygon = outer[c];
      if (!polygon) continue;
      for (const hole of holes[c]!) if (-signedArea(hole) > minHoleSquareMeters) polygon.push(hole);
      polygons.push(polygon);
    }
    return polygons;
  }
}

/** 4-connected components of the inside cells (label −1 elsewhere). */
function labelComponents(inside: Uint8Array, width: number): { label: Int32Array; count: number } {
  const label = new Int32Array(inside.length).fill(-1);
  let stack = new Int32Array(1024);
  let count = 0;
  for (let start = 0; start < label.length; start++) {
    if (inside[start] === 0 || label[start] !== -1) continue;
    const component = count++;
    let top = 0;
    label[start] = component;
    stack[top++] = start;
    while (top > 0) {
      // At most four pushes per pop: grow before they could overflow.
      if (top + 4 > stack.length) {
        const grown = new Int32Array(stack.length * 2);
        grown.set(stack);
        stack = grown;
      }
      const k = stack[--top]!;
      const i = k % width;
      if (i > 0 && inside[k - 1] === 1 && label[k - 1] === -1) {
        label[k - 1] = component;
        stack[top++] = k - 1;
      }
      if (i < width - 1 && inside[k + 1] === 1 && label[k + 1] === -1) {
        label[k + 1] = component;
        stack[top++] = k + 1;
      }
      if (k >= width && inside[k - width] === 1 && label[k - width] === -1) {
        label[k - width] = component;
        stack[top++] = k - width;
      }
      if (k + width < label.length && inside[k + width] === 1 && label[k + width] === -1) {
        label[k + width] = component;
        stack[top++] = k + width;
      }
    }
  }
  return { label, count };
}

/** Where along an edge from a centre at distance da to one at db the distance equals range (0…1). */
function crossingShare(da: number, db: number, range: number): number {
  return (range - da) / (db - da);
}

interface IsoRing {
  /** Closed ring in grid units (cell centre (i, j) at (i, j)). */
  points: number[][];
  /** Signed area (grid units²): positive = counter-clockwise = an outer ring. */
  area: number;
  /** Component of the inside cells along the ring. */
  component: number;
}

/**
 * Marching squares on cell centres: the boundary between inside (distance ≤ range) and outside,
 * crossing each block edge at the linearly interpolated point where distance = range, walked with
 * the inside on the left (outer rings counter-clockwise, holes clockwise). In a saddle block the two
 * inside corners are kept apart, matching the 4-connected components. The grid's border cells must
 * be outside (the raster's margin guarantees it).
 */
function traceIsoRings(distance: Float32Array, inside: Uint8Array, width: number, height: number, range: number, label: Int32Array): IsoRing[] {
  // Crossings (boundary vertices), one per block edge whose two centres differ.
  const px: number[] = [];
  const py: number[] = [];
  const component: number[] = [];
  const next: number[] = [];
  // Ids of the crossings on the horizontal edges below and above the current row of blocks (−1: none),
  // and on the vertical edge shared with the previous block of the row.
  let below = new Int32Array(width).fill(-1);
  let above = new Int32Array(width).fill(-1);
  const edgeId = [-1, -1, -1, -1];
  const corner = [false, false, false, false];
  for (let j = 0; j < height - 1; j++) {
    const swap = below;
    below = above;
    above = swap;
    above.fill(-1);
    let left = -1;
    for (let i = 0; i < width - 1; i++) {
      const k = j * width + i;
      const mask = inside[k]! | (inside[k + 1]! << 1) | (inside[k + width + 1]! << 2) | (inside[k + width]! << 3);
      if (mask === 0 || mask === 15) {
        left = -1;
        continue;
      }
      // Corners counter-clockwise: a (i, j), b (i+1, j), c (i+1, j+1), d (i, j+1); edge m joins corner
      // m to corner m+1. Edges 0 and 3 were met by earlier blocks; 1 and 2 are new.
      for (let m = 0; m < 4; m++) corner[m] = ((mask >> m) & 1) === 1;
      edgeId[0] = below[i]!;
      edgeId[3] = left;
      edgeId[1] = -1;
      edgeId[2] = -1;
      if (corner[1] !== corner[2]) {
        const t = crossingShare(distance[k + 1]!, distance[k + width + 1]!, range);
        edgeId[1] = px.length;
        px.push(i + 1);
        py.push(j + t);
        component.push(label[corner[1] ? k + 1 : k + width + 1]!);
        next.push(-1);
      }
      if (corner[2] !== corner[3]) {
        const t = crossingShare(distance[k + width]!, distance[k + width + 1]!, range);
        edgeId[2] = px.length;
        px.push(i + t);
        py.push(j + 1);
        component.push(label[corner[3] ? k + width : k + width + 1]!);
        next.push(-1);
      }
      above[i] = edgeId[2]!;
      left = edgeId[1]!;
      // A boundary piece leaves the inside on edge m (corner m inside, m+1 outside) and runs to the
      // first edge before it, clockwise, where the inside is entered: the inside stays on its left,
      // and in a saddle the two inside corners are cut off separately.
      for (let m = 0; m < 4; m++) {
        if (!(corner[m] && !corner[(m + 1) & 3])) continue;
        for (let back = 1; back <= 3; back++) {
          const e = (m - back + 4) & 3;
          if (!corner[e] && corner[(e + 1) & 3]) {
            next[edgeId[m]!] = edgeId[e]!;
            break;
          }
        }
      }
    }
  }
  const rings: IsoRing[] = [];
  const visited = new Uint8Array(px.length);
  for (let start = 0; start < px.length; start++) {
    if (visited[start]) continue;
    const points: number[][] = [];
    let area = 0;
    let id = start;
    do {
      visited[id] = 1;
      points.push([px[id]!, py[id]!]);
      const n = next[id]!;
      area += px[id]! * py[n]! - px[n]! * py[id]!;
      id = n;
    } while (id !== start && id >= 0);
    points.push(points[0]!.slice());
    rings.push({ points, area: area / 2, component: component[start]! });
  }
  return rings;
}

/** The signed area of a closed ring (shoelace), positive when counter-clockwise (y up). */
export function signedArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return sum / 2;
}

/**
 * Douglas-Peucker on a closed ring (first = last): keeps the first vertex and the one farthest from
 * it, simplifies the two halves. Returns a closed ring.
 */
export function simplifyRing(ring: number[][], tolerance: number): number[][] {
  const n = ring.length - 1;
  if (n < 4) return ring;
  let far = 0;
  let farDistance = -1;
  for (let i = 1; i < n; i++) {
    const d = Math.hypot(ring[i]![0]! - ring[0]![0]!, ring[i]![1]! - ring[0]![1]!);
    if (d > farDistance) {
      farDistance = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = 1;
  keep[far] = 1;
  keep[n] = 1;
  markDouglasPeucker(ring, 0, far, tolerance * tolerance, keep);
  markDouglasPeucker(ring, far, n, tolerance * tolerance, keep);
  const out: number[][] = [];
  for (let i = 0; i <= n; i++) if (keep[i]) out.push(ring[i]!);
  // A ring needs three distinct corners: a tiny ring is kept as it was.
  return out.length >= 4 ? out : ring;
}

function markDouglasPeucker(points: number[][], first: number, last: number, toleranceSquared: number, keep: Uint8Array): void {
  const stack = [first, last];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    const [ax, ay] = points[a]!;
    const [bx, by] = points[b]!;
    const dx = bx! - ax!;
    const dy = by! - ay!;
    const lengthSquared = dx * dx + dy * dy;
    let worst = -1;
    let worstDistance = toleranceSquared;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i]!;
      let t = lengthSquared > 0 ? ((px! - ax!) * dx + (py! - ay!) * dy) / lengthSquared : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px! - (ax! + t * dx);
      const ey = py! - (ay! + t * dy);
      const d = ex * ex + ey * ey;
      if (d > worstDistance) {
        worstDistance = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(a, worst, worst, b);
    }
  }
}
