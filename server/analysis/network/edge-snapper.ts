// Snaps points to the nearest position on the network's edges (not merely the nearest node): every
// straight piece of every edge's geometry sits in a packed Hilbert R-tree (flatbush); a query searches
// a small box first and the full snap radius only when that box holds nothing close enough.

import Flatbush from 'flatbush';
import { edgeGeometryLengthMeters, type RoadGraph } from './road-graph';

/** Where points landed on the network (struct of arrays, index = point). */
export interface SnappedPoints {
  count: number;
  /** Edge the point snapped to, or -1 when no edge lies within the snap distance. */
  edge: Int32Array;
  /** Position along the edge as a share of its walking length, 0 at edgeFrom … 1 at edgeTo. */
  fraction: Float64Array;
  /** Planar distance from the point to that position, metres (Infinity when not snapped). */
  distanceMeters: Float64Array;
}

/** First search box half-width, metres: most points in a city lie this close to a street. */
const NEAR_BOX_METERS = 40;

/**
 * An EdgeSnapper's state as flat arrays (the packed R-tree as its raw buffer), so it can be kept in
 * shared memory and rebuilt without work in another thread (EdgeSnapper.fromParts).
 */
export interface EdgeSnapperParts {
  /** Flatbush's raw data (Flatbush.from). */
  indexData: ArrayBuffer | SharedArrayBuffer;
  segmentEdge: Uint32Array;
  segmentStartMeters: Float64Array;
  segmentXY: Float64Array;
  edgeGeometryMeters: Float64Array;
}

export class EdgeSnapper {
  private readonly index: Flatbush;
  /** Per segment: its edge, and where it starts along the edge's geometry (metres). */
  private readonly segmentEdge: Uint32Array;
  private readonly segmentStartMeters: Float64Array;
  /** Per segment: x0, y0, x1, y1 (metres). */
  private readonly segmentXY: Float64Array;
  private readonly edgeGeometryMeters: Float64Array;

  /** A snapper over the parts of one built for the same graph (no work: the index is reused as is). */
  static fromParts(graph: RoadGraph, parts: EdgeSnapperParts): EdgeSnapper {
    return new EdgeSnapper(graph, parts);
  }

  /** The state as flat arrays (see EdgeSnapperParts). */
  toParts(): EdgeSnapperParts {
    return {
      indexData: this.index.data,
      segmentEdge: this.segmentEdge,
      segmentStartMeters: this.segmentStartMeters,
      segmentXY: this.segmentXY,
      edgeGeometryMeters: this.edgeGeometryMeters,
    };
  }

  constructor(
    private readonly graph: RoadGraph,
    parts?: EdgeSnapperParts,
  ) {
    if (parts) {
      this.index = Flatbush.from(parts.indexData);
      this.segmentEdge = parts.segmentEdge;
      this.segmentStartMeters = parts.segmentStartMeters;
      this.segmentXY = parts.segmentXY;
      this.edgeGeometryMeters = parts.edgeGeometryMeters;
      return;
    }
    const { edgeCount, shapeOffsets } = graph;
    const segmentCount = edgeCount + shapeOffsets[edgeCount]!;
    this.segmentEdge = new Uint32Array(segmentCount);
    this.segmentStartMeters = new Float64Array(segmentCount);
    this.segmentXY = new Float64Array(segmentCount * 4);
    this.edgeGeometryMeters = new Float64Array(edgeCount);
    this.index = new Flatbush(Math.max(1, segmentCount));
    const { nodeXY, shapeXY } = graph;
    let s = 0;
    for (let e = 0; e < edgeCount; e++) {
      let px = nodeXY[graph.edgeFrom[e]! * 2]!;
      let py = nodeXY[graph.edgeFrom[e]! * 2 + 1]!;
      let along = 0;
      const interiorEnd = shapeOffsets[e + 1]!;
      for (let i = shapeOffsets[e]!; i <= interiorEnd; i++) {
        const last = i === interiorEnd;
        const x = last ? nodeXY[graph.edgeTo[e]! * 2]! : shapeXY[i * 2]!;
        const y = last ? nodeXY[graph.edgeTo[e]! * 2 + 1]! : shapeXY[i * 2 + 1]!;
        this.segmentEdge[s] = e;
        this.segmentStartMeters[s] = along;
        this.segmentXY[s * 4] = px;
        this.segmentXY[s * 4 + 1] = py;
        this.segmentXY[s * 4 + 2] = x;
        this.segmentXY[s * 4 + 3] = y;
        this.index.add(Math.min(px, x), Math.min(py, y), Math.max(px, x), Math.max(py, y));
        along += Math.hypot(x - px, y - py);
        px = x;
        py = y;
        s++;
      }
      this.edgeGeometryMeters[e] = along;
    }
    if (segmentCount === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /**
   * Snaps one point (x, y metres in the graph's projection) to the nearest edge within maxMeters.
   * Writes into `out` at `i`; returns whether it snapped.
   */
  snapInto(x: number, y: number, maxMeters: number, out: SnappedPoints, i: number): boolean {
    const near = Math.min(NEAR_BOX_METERS, maxMeters);
    let best = this.searchBox(x, y, near);
    if (best.distance > near && maxMeters > near) best = this.searchBox(x, y, maxMeters);
    if (best.segment < 0 || best.distance > maxMeters) {
      out.edge[i] = -1;
      out.fraction[i] = 0;
      out.distanceMeters[i] = Infinity;
      return false;
    }
    const e = this.segmentEdge[best.segment]!;
    const geometry = this.edgeGeometryMeters[e]!;
    out.edge[i] = e;
    out.fraction[i] = geometry > 0 ? Math.min(1, (this.segmentStartMeters[best.segment]! + best.along) / geometry) : 0;
    out.distanceMeters[i] = best.distance;
    return true;
  }

  /** Snaps [x0, y0, x1, …] (metres in the graph's projection). */
  snapPoints(xy: Float64Array, maxMeters: number): SnappedPoints {
    const count = xy.length / 2;
    const out: SnappedPoints = {
      count,
      edge: new Int32Array(count),
      fraction: new Float64Array(count),
      distanceMeters: new Float64Array(count),
    };
    for (let i = 0; i < count; i++) this.snapInto(xy[i * 2]!, xy[i * 2 + 1]!, maxMeters, out, i);
    return out;
  }

  /** Snaps [lng0, lat0, …] (WGS84 degrees). */
  snapLngLat(lngLat: ArrayLike<number>, maxMeters: number): SnappedPoints {
    return this.snapPoints(projectLngLat(this.graph, lngLat), maxMeters);
  }

  /** Geometric length of edge e (metres), as cached by the index. */
  edgeGeometryLengthMeters(e: number): number {
    return this.edgeGeometryMeters[e] ?? edgeGeometryLengthMeters(this.graph, e);
  }

  private searchBox(x: number, y: number, r: number): { segment: number; distance: number; along: number } {
    const candidates = this.index.search(x - r, y - r, x + r, y + r);
    let bestSegment = -1;
    let bestDistanceSquared = Infinity;
    let bestAlong = 0;
    const xy = this.segmentXY;
    for (let k = 0; k < candidates.length; k++) {
      const s = candidates[k]!;
      if (s >= this.segmentEdge.length) continue;
      const x0 = xy[s * 4]!;
      const y0 = xy[s * 4 + 1]!;
      const dx = xy[s * 4 + 2]! - x0;
      const dy = xy[s * 4 + 3]! - y0;
      const lengthSquared = dx * dx + dy * dy;
      let t = lengthSquared > 0 ? ((x - x0) * dx + (y - y0) * dy) / lengthSquared : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = x0 + t * dx - x;
      const ey = y0 + t * dy - y;
      const d2 = ex * ex + ey * ey;
      // Ties (a point nearest to a shared node) go to the lowest segment: deterministic.
      if (d2 < bestDistanceSquared || (d2 === bestDistanceSquared && s < bestSegment)) {
        bestDistanceSquared = d2;
        bestSegment = s;
        bestAlong = t * Math.sqrt(lengthSquared);
      }
    }
    return { segment: bestSegment, distance: Math.sqrt(bestDistanceSquared), along: bestAlong };
  }
}

/** [lng, lat, …] → [x, y, …] metres in the graph's projection. */
export function projectLngLat(graph: RoadGraph, lngLat: ArrayLike<number>): Float64Array {
  const { origin, metersPerDegreeLng, metersPerDegreeLat } = graph.projection;
  const xy = new Float64Array(lngLat.length);
  for (let i = 0; i < lngLat.length; i += 2) {
    xy[i] = (lngLat[i]! - origin[0]) * metersPerDegreeLng;
    xy[i + 1] = (lngLat[i + 1]! - origin[1]) * metersPerDegreeLat;
  }
  return xy;
}
