// The walking network as a compressed sparse row (CSR) graph: per node the range of its outgoing arcs
// (`offsets`), each arc's head (`targets`), length in metres and the edge it runs along. Nodes keep
// WGS84 lon/lat and planar x/y metres (one local projection, made at build time); edges keep their
// interior shape points so points can snap onto, and service areas follow, the real geometry.

import { createLocalProjection, type LocalProjection } from '../geo/local-projection';

/** Edge may be walked from → to. */
export const DIRECTION_FORWARD = 1;
/** Edge may be walked to → from. */
export const DIRECTION_BACKWARD = 2;
export const DIRECTION_BOTH = DIRECTION_FORWARD | DIRECTION_BACKWARD;

/** An edge list as the readers produce it (struct of arrays; edge e joins edgeFrom[e] and edgeTo[e]). */
export interface RoadEdgeList {
  /** [lng0, lat0, lng1, …] per vertex, WGS84 degrees. */
  nodeLngLat: Float64Array;
  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  /** Walking length of each edge, metres (≥ 0). */
  edgeLengthMeters: Float64Array;
  /** DIRECTION_* bits per edge; absent = every edge two-way. */
  edgeDirection?: Uint8Array;
  /** Interior shape points of edge e: pairs shapeOffsets[e] … shapeOffsets[e + 1] - 1 of `shapeLngLat`. */
  shapeOffsets?: Uint32Array;
  /** [lng, lat, …] interior points (WGS84 degrees), in from → to order. */
  shapeLngLat?: Float64Array;
}

export interface RoadGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Directed arcs: one per allowed direction of each edge. */
  readonly arcCount: number;
  /** [lng, lat] per node, WGS84 degrees. */
  readonly nodeLngLat: Float64Array;
  /** [x, y] per node, metres in `projection`. */
  readonly nodeXY: Float64Array;
  /** The local projection every x/y of this graph is in. */
  readonly projection: LocalProjection;
  /** Arcs of node n: offsets[n] … offsets[n + 1] - 1. */
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  /** Length of each arc, metres. */
  readonly lengthMeters: Float64Array;
  /** The edge each arc runs along. */
  readonly arcEdge: Uint32Array;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly edgeLengthMeters: Float64Array;
  readonly edgeDirection: Uint8Array;
  /** Interior points of edge e: pairs shapeOffsets[e] … shapeOffsets[e + 1] - 1 of shapeXY (metres). */
  readonly shapeOffsets: Uint32Array;
  readonly shapeXY: Float64Array;
}

export interface BuildRoadGraphOptions {
  /** Centre of the local projection [lng, lat]; default: the centre of the nodes' bounding box. */
  projectionOrigin?: [number, number];
}

/**
 * Builds the CSR graph of an edge list: arcs grouped by tail node (counting sort, so arcs keep edge
 * order within a node), nodes and shape points projected to metres once. O(nodes + edges).
 */
export function buildRoadGraph(edges: RoadEdgeList, options: BuildRoadGraphOptions = {}): RoadGraph {
  const nodeCount = edges.nodeLngLat.length / 2;
  const edgeCount = edges.edgeFrom.length;
  const direction = edges.edgeDirection ?? new Uint8Array(edgeCount).fill(DIRECTION_BOTH);

  let origin = options.projectionOrigin;
  if (!origin) {
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    for (let n = 0; n < nodeCount; n++) {
      const lng = edges.nodeLngLat[n * 2]!;
      const lat = edges.nodeLngLat[n * 2 + 1]!;
      if (lng < minLng) minLng = lng;
      if (lng > maxLng) maxLng = lng;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    origin = nodeCount > 0 ? [(minLng + maxLng) / 2, (minLat + maxLat) / 2] : [0, 0];
  }
  const projection = createLocalProjection(origin[0], origin[1]);
  const kx = projection.metersPerDegreeLng;
  const ky = projection.metersPerDegreeLat;
  const nodeXY = new Float64Array(nodeCount * 2);
  for (let n = 0; n < nodeCount; n++) {
    nodeXY[n * 2] = (edges.nodeLngLat[n * 2]! - origin[0]) * kx;
    nodeXY[n * 2 + 1] = (edges.nodeLngLat[n * 2 + 1]! - origin[1]) * ky;
  }
  const shapeOffsets = edges.shapeOffsets ?? new Uint32Array(edgeCount + 1);
  const shapeLngLat = edges.shapeLngLat ?? new Float64Array(0);
  const shapeXY = new Float64Array(shapeLngLat.length);
  for (let i = 0; i < shapeLngLat.length; i += 2) {
    shapeXY[i] = (shapeLngLat[i]! - origin[0]) * kx;
    shapeXY[i + 1] = (shapeLngLat[i + 1]! - origin[1]) * ky;
  }

  const offsets = new Uint32Array(nodeCount + 1);
  let arcCount = 0;
  for (let e = 0; e < edgeCount; e++) {
    const from = edges.edgeFrom[e]!;
    const to = edges.edgeTo[e]!;
    if (from >= nodeCount || to >= nodeCount) throw new RangeError(`edge ${e} joins node ${Math.max(from, to)} of ${nodeCount}`);
    const length = edges.edgeLengthMeters[e]!;
    if (!(length >= 0)) throw new RangeError(`edge ${e} has length ${length}: lengths must be ≥ 0 metres`);
    if (direction[e]! & DIRECTION_FORWARD) {
      offsets[from + 1]! += 1;
      arcCount += 1;
    }
    if (direction[e]! & DIRECTION_BACKWARD) {
      offsets[to + 1]! += 1;
      arcCount += 1;
    }
  }
  for (let n = 0; n < nodeCount; n++) offsets[n + 1]! += offsets[n]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Uint32Array(arcCount);
  const lengthMeters = new Float64Array(arcCount);
  const arcEdge = new Uint32Array(arcCount);
  for (let e = 0; e < edgeCount; e++) {
    const from = edges.edgeFrom[e]!;
    const to = edges.edgeTo[e]!;
    if (direction[e]! & DIRECTION_FORWARD) {
      const a = fill[from]!++;
      targets[a] = to;
      lengthMeters[a] = edges.edgeLengthMeters[e]!;
      arcEdge[a] = e;
    }
    if (direction[e]! & DIRECTION_BACKWARD) {
      const a = fill[to]!++;
      targets[a] = from;
      lengthMeters[a] = edges.edgeLengthMeters[e]!;
      arcEdge[a] = e;
    }
  }
  return {
    nodeCount,
    edgeCount,
    arcCount,
    nodeLngLat: edges.nodeLngLat,
    nodeXY,
    projection,
    offsets,
    targets,
    lengthMeters,
    arcEdge,
    edgeFrom: edges.edgeFrom,
    edgeTo: edges.edgeTo,
    edgeLengthMeters: edges.edgeLengthMeters,
    edgeDirection: direction,
    shapeOffsets,
    shapeXY,
  };
}

/**
 * Planar length (metres, in the graph's projection) of edge e's drawn geometry: from node, shape
 * points, to node. Used to map a position along the geometry to a share of the edge's walking length.
 */
export function edgeGeometryLengthMeters(graph: RoadGraph, e: number): number {
  const { nodeXY, shapeXY, shapeOffsets } = graph;
  let px = nodeXY[graph.edgeFrom[e]! * 2]!;
  let py = nodeXY[graph.edgeFrom[e]! * 2 + 1]!;
  let total = 0;
  for (let i = shapeOffsets[e]!, end = shapeOffsets[e + 1]!; i < end; i++) {
    const x = shapeXY[i * 2]!;
    const y = shapeXY[i * 2 + 1]!;
    total += Math.hypot(x - px, y - py);
    px = x;
    py = y;
  }
  return total + Math.hypot(nodeXY[graph.edgeTo[e]! * 2]! - px, nodeXY[graph.edgeTo[e]! * 2 + 1]! - py);
}
