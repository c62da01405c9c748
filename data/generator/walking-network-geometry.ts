// Planar geometry for the walking-network generator: even-odd point-in-polygon over banded ring edges,
// a uniform grid over barrier segments (clearance and crossing queries), haversine lengths, integer hashing.

/** Mean Earth radius used for edge lengths, metres (the same as Turf's `distance`). */
export const EARTH_RADIUS_METERS = 6371008.8;

const DEG = Math.PI / 180;

/** Great-circle distance between two WGS84 points in degrees, metres (haversine). */
export function haversineMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const sinDLat = Math.sin(((lat2 - lat1) * DEG) / 2);
  const sinDLng = Math.sin(((lng2 - lng1) * DEG) / 2);
  const h = sinDLat * sinDLat + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * sinDLng * sinDLng;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Rounds degrees to 6 decimals (about 0.1 m), the precision of every stored coordinate. */
export function roundDegrees(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Murmur3-style 32-bit hash of a salt and two integers (lattice indices), unsigned. */
export function hashLattice(salt: number, a: number, b: number): number {
  let h = (salt ^ Math.imul(a | 0, 0x27d4eb2d)) | 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = (h + Math.imul(b | 0, 0x165667b1)) | 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/** A hash as a uniform number in [0, 1). */
export function unitFromHash(hash: number): number {
  return hash / 4294967296;
}

/**
 * True when the closed segments ab and cd share a point (touching counts: the generator treats a graze
 * of a barrier as a crossing, which only ever removes an edge).
 */
export function segmentsIntersect(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): boolean {
  const d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  if ((d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0)) return false;
  const d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  if ((d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0)) return false;
  if (d1 === 0 && d2 === 0) {
    // Collinear: overlap of the projections.
    return Math.max(ax, bx) >= Math.min(cx, dx) && Math.max(cx, dx) >= Math.min(ax, bx) &&
      Math.max(ay, by) >= Math.min(cy, dy) && Math.max(cy, dy) >= Math.min(ay, by);
  }
  return true;
}

/** Squared distance from (px, py) to the segment ab, square metres. */
export function segmentDistanceSquared(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const ux = bx - ax;
  const uy = by - ay;
  const lengthSquared = ux * ux + uy * uy;
  let t = lengthSquared > 0 ? ((px - ax) * ux + (py - ay) * uy) / lengthSquared : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const qx = ax + t * ux - px;
  const qy = ay + t * uy - py;
  return qx * qx + qy * qy;
}

/** Compressed buckets (CSR): `visit` is called twice and emits (bucket, item) pairs in the same order. */
function buildBuckets(
  bucketCount: number,
  visit: (emit: (bucket: number, item: number) => void) => void,
): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(bucketCount + 1);
  visit((bucket) => {
    offsets[bucket + 1]!++;
  });
  for (let i = 0; i < bucketCount; i++) offsets[i + 1]! += offsets[i]!;
  const items = new Int32Array(offsets[bucketCount]!);
  const fill = offsets.slice(0, bucketCount);
  visit((bucket, item) => {
    items[fill[bucket]!++] = item;
  });
  return { offsets, items };
}

/** Rings of one area in metres: each ring a flat [x0, y0, x1, y1, …] closed or open. */
export type AreaRingsXY = Float64Array[];

/**
 * Even-odd point-in-polygon for many areas: each area's ring edges are bucketed into horizontal bands,
 * and a coarse grid lists the areas whose bounding box meets each cell.
 */
export class AreaLocator {
  private readonly edgeX0: Float64Array;
  private readonly edgeY0: Float64Array;
  private readonly edgeX1: Float64Array;
  private readonly edgeY1: Float64Array;
  /** Per area: [minX, minY, maxX, maxY]. */
  private readonly areaBox: Float64Array;
  private readonly areaBandBase: Int32Array;
  private readonly areaBandCount: Int32Array;
  private readonly bandOffsets: Int32Array;
  private readonly bandEdges: Int32Array;
  private readonly bandHeightMeters: number;
  private readonly cellSizeMeters: number;
  private readonly gridMinX: number;
  private readonly gridMinY: number;
  private readonly gridColumns: number;
  private readonly gridRows: number;
  private readonly cellOffsets: Int32Array;
  private readonly cellAreas: Int32Array;
  /** Union bounding box of all areas, metres. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;

  constructor(areas: readonly AreaRingsXY[], bandHeightMeters = 150, cellSizeMeters = 2000) {
    this.bandHeightMeters = bandHeightMeters;
    this.cellSizeMeters = cellSizeMeters;
    let edgeCount = 0;
    for (const rings of areas) for (const ring of rings) edgeCount += ring.length / 2;
    this.edgeX0 = new Float64Array(edgeCount);
    this.edgeY0 = new Float64Array(edgeCount);
    this.edgeX1 = new Float64Array(edgeCount);
    this.edgeY1 = new Float64Array(edgeCount);
    this.areaBox = new Float64Array(areas.length * 4);
    this.areaBandBase = new Int32Array(areas.length);
    this.areaBandCount = new Int32Array(areas.length);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let edge = 0;
    const areaEdgeStart = new Int32Array(areas.length + 1);
    let bandTotal = 0;
    for (let a = 0; a < areas.length; a++) {
      areaEdgeStart[a] = edge;
      let aMinX = Infinity;
      let aMinY = Infinity;
      let aMaxX = -Infinity;
      let aMaxY = -Infinity;
      for (const ring of areas[a]!) {
        const n = ring.length / 2;
        for (let i = 0; i < n; i++) {
          const j = (i + 1) % n;
          this.edgeX0[edge] = ring[2 * i]!;
          this.edgeY0[edge] = ring[2 * i + 1]!;
          this.edgeX1[edge] = ring[2 * j]!;
          this.edgeY1[edge] = ring[2 * j + 1]!;
          edge++;
          const x = ring[2 * i]!;
          const y = ring[2 * i + 1]!;
          if (x < aMinX) aMinX = x;
          if (x > aMaxX) aMaxX = x;
          if (y < aMinY) aMinY = y;
          if (y > aMaxY) aMaxY = y;
        }
      }
      if (aMinX > aMaxX) {
        aMinX = aMaxX = aMinY = aMaxY = 0;
      }
      this.areaBox.set([aMinX, aMinY, aMaxX, aMaxY], 4 * a);
      this.areaBandBase[a] = bandTotal;
      const bands = Math.max(1, Math.ceil((aMaxY - aMinY) / bandHeightMeters) + 1);
      this.areaBandCount[a] = bands;
      bandTotal += bands;
      if (aMinX < minX) minX = aMinX;
      if (aMinY < minY) minY = aMinY;
      if (aMaxX > maxX) maxX = aMaxX;
      if (aMaxY > maxY) maxY = aMaxY;
    }
    areaEdgeStart[areas.length] = edge;
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;

    // Bands: edge ids per (area, band).
    const bands = buildBuckets(bandTotal, (emit) => {
      for (let a = 0; a < areas.length; a++) {
        const base = this.areaBandBase[a]!;
        const areaMinY = this.areaBox[4 * a + 1]!;
        const last = this.areaBandCount[a]! - 1;
        for (let e = areaEdgeStart[a]!; e < areaEdgeStart[a + 1]!; e++) {
          const y0 = this.edgeY0[e]!;
          const y1 = this.edgeY1[e]!;
          const b0 = Math.min(last, Math.max(0, Math.floor((Math.min(y0, y1) - areaMinY) / bandHeightMeters)));
          const b1 = Math.min(last, Math.max(0, Math.floor((Math.max(y0, y1) - areaMinY) / bandHeightMeters)));
          for (let b = b0; b <= b1; b++) emit(base + b, e);
        }
      }
    });
    this.bandOffsets = bands.offsets;
    this.bandEdges = bands.items;

    // Coarse grid of candidate areas by bounding box.
    this.gridMinX = minX;
    this.gridMinY = minY;
    this.gridColumns = Math.max(1, Math.ceil((maxX - minX) / cellSizeMeters) + 1);
    this.gridRows = Math.max(1, Math.ceil((maxY - minY) / cellSizeMeters) + 1);
    const cells = buildBuckets(this.gridColumns * this.gridRows, (emit) => {
      for (let a = 0; a < areas.length; a++) {
        const c0 = Math.floor((this.areaBox[4 * a]! - minX) / cellSizeMeters);
        const c1 = Math.floor((this.areaBox[4 * a + 2]! - minX) / cellSizeMeters);
        const r0 = Math.floor((this.areaBox[4 * a + 1]! - minY) / cellSizeMeters);
        const r1 = Math.floor((this.areaBox[4 * a + 3]! - minY) / cellSizeMeters);
        for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) emit(r * this.gridColumns + c, a);
      }
    });
    this.cellOffsets = cells.offsets;
    this.cellAreas = cells.items;
  }

  /** Index of the first area containing (x, y) in metres (even-odd rule), or -1. */
  locate(x: number, y: number): number {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return -1;
    const cell =
      Math.floor((y - this.gridMinY) / this.cellSizeMeters) * this.gridColumns +
      Math.floor((x - this.gridMinX) / this.cellSizeMeters);
    for (let k = this.cellOffsets[cell]!; k < this.cellOffsets[cell + 1]!; k++) {
      const a = this.cellAreas[k]!;
      if (this.contains(a, x, y)) return a;
    }
    return -1;
  }

  /** Even-odd test of (x, y) against one area. */
  contains(area: number, x: number, y: number): boolean {
    const box = 4 * area;
    if (x < this.areaBox[box]! || x > this.areaBox[box + 2]! || y < this.areaBox[box + 1]! || y > this.areaBox[box + 3]!) {
      return false;
    }
    const band = this.areaBandBase[area]! + Math.min(
      this.areaBandCount[area]! - 1,
      Math.floor((y - this.areaBox[box + 1]!) / this.bandHeightMeters),
    );
    let inside = false;
    for (let k = this.bandOffsets[band]!; k < this.bandOffsets[band + 1]!; k++) {
      const e = this.bandEdges[k]!;
      const y0 = this.edgeY0[e]!;
      const y1 = this.edgeY1[e]!;
      if (y0 > y !== y1 > y) {
        const x0 = this.edgeX0[e]!;
        const crossX = x0 + ((y - y0) * (this.edgeX1[e]! - x0)) / (y1 - y0);
        if (x < crossX) inside = !inside;
      }
    }
    return inside;
  }
}

/**
 * A uniform grid over the segments of a few polylines (barriers), for clearance tests of points and
 * crossing counts of short segments. Coordinates in metres.
 */
export class SegmentGrid {
  readonly segmentX0: Float64Array;
  readonly segmentY0: Float64Array;
  readonly segmentX1: Float64Array;
  readonly segmentY1: Float64Array;
  /** Polyline index of each segment. */
  readonly segmentLine: Int32Array;
  private readonly cellSizeMeters: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellOffsets: Int32Array;
  private readonly cellSegments: Int32Array;
  private readonly stamp: Int32Array;
  private query = 0;

  constructor(lines: readonly Float64Array[], cellSizeMeters = 250) {
    this.cellSizeMeters = cellSizeMeters;
    let count = 0;
    for (const line of lines) count += Math.max(0, line.length / 2 - 1);
    this.segmentX0 = new Float64Array(count);
    this.segmentY0 = new Float64Array(count);
    this.segmentX1 = new Float64Array(count);
    this.segmentY1 = new Float64Array(count);
    this.segmentLine = new Int32Array(count);
    this.stamp = new Int32Array(count);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let s = 0;
    lines.forEach((line, l) => {
      for (let i = 0; i + 3 < line.length; i += 2) {
        this.segmentX0[s] = line[i]!;
        this.segmentY0[s] = line[i + 1]!;
        this.segmentX1[s] = line[i + 2]!;
        this.segmentY1[s] = line[i + 3]!;
        this.segmentLine[s] = l;
        minX = Math.min(minX, line[i]!, line[i + 2]!);
        maxX = Math.max(maxX, line[i]!, line[i + 2]!);
        minY = Math.min(minY, line[i + 1]!, line[i + 3]!);
        maxY = Math.max(maxY, line[i + 1]!, line[i + 3]!);
        s++;
      }
    });
    if (count === 0) {
      minX = minY = 0;
      maxX = maxY = 0;
    }
    this.minX = minX;
    this.minY = minY;
    this.columns = Math.ceil((maxX - minX) / cellSizeMeters) + 1;
    this.rows = Math.ceil((maxY - minY) / cellSizeMeters) + 1;
    const cells = buildBuckets(this.columns * this.rows, (emit) => {
      for (let k = 0; k < count; k++) {
        const c0 = Math.floor((Math.min(this.segmentX0[k]!, this.segmentX1[k]!) - minX) / cellSizeMeters);
        const c1 = Math.floor((Math.max(this.segmentX0[k]!, this.segmentX1[k]!) - minX) / cellSizeMeters);
        const r0 = Math.floor((Math.min(this.segmentY0[k]!, this.segmentY1[k]!) - minY) / cellSizeMeters);
        const r1 = Math.floor((Math.max(this.segmentY0[k]!, this.segmentY1[k]!) - minY) / cellSizeMeters);
        for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) emit(r * this.columns + c, k);
      }
    });
    this.cellOffsets = cells.offsets;
    this.cellSegments = cells.items;
  }

  /**
   * True when (x, y) is at least `clearanceByLine[l]` metres from every segment of every line l.
   * `maxClearance` bounds the search radius.
   */
  isClear(x: number, y: number, clearanceByLine: Float64Array, maxClearance: number): boolean {
    const c0 = Math.max(0, Math.floor((x - maxClearance - this.minX) / this.cellSizeMeters));
    const c1 = Math.min(this.columns - 1, Math.floor((x + maxClearance - this.minX) / this.cellSizeMeters));
    const r0 = Math.max(0, Math.floor((y - maxClearance - this.minY) / this.cellSizeMeters));
    const r1 = Math.min(this.rows - 1, Math.floor((y + maxClearance - this.minY) / this.cellSizeMeters));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        for (let k = this.cellOffsets[cell]!; k < this.cellOffsets[cell + 1]!; k++) {
          const s = this.cellSegments[k]!;
          const clearance = clearanceByLine[this.segmentLine[s]!]!;
          const d2 = segmentDistanceSquared(x, y, this.segmentX0[s]!, this.segmentY0[s]!, this.segmentX1[s]!, this.segmentY1[s]!);
          if (d2 < clearance * clearance) return false;
        }
      }
    }
    return true;
  }

  /**
   * Number of barrier segments the segment ab meets; when `countsByLine` is given, adds the count per
   * line into it. Each barrier segment is counted once even if it lies in several cells.
   */
  countCrossings(ax: number, ay: number, bx: number, by: number, countsByLine?: Int32Array): number {
    const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - this.minX) / this.cellSizeMeters));
    const c1 = Math.min(this.columns - 1, Math.floor((Math.max(ax, bx) - this.minX) / this.cellSizeMeters));
    const r0 = Math.max(0, Math.floor((Math.min(ay, by) - this.minY) / this.cellSizeMeters));
    const r1 = Math.min(this.rows - 1, Math.floor((Math.max(ay, by) - this.minY) / this.cellSizeMeters));
    if (c0 > c1 || r0 > r1) return 0;
    this.query++;
    let crossings = 0;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.columns + c;
        for (let k = this.cellOffsets[cell]!; k < this.cellOffsets[cell + 1]!; k++) {
          const s = this.cellSegments[k]!;
          if (this.stamp[s] === this.query) continue;
          this.stamp[s] = this.query;
          if (segmentsIntersect(ax, ay, bx, by, this.segmentX0[s]!, this.segmentY0[s]!, this.segmentX1[s]!, this.segmentY1[s]!)) {
            crossings++;
            if (countsByLine) countsByLine[this.segmentLine[s]!]!++;
          }
        }
      }
    }
    return crossings;
  }
}
