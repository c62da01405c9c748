// Turns polylines (GeoJSON LineStrings, OSM ways) into a network edge list: a vertex wherever a point is
// shared (by two lines, or twice by one) and at every line end; each line is cut at its vertices into
// edges that keep the points between as shape. Lengths are great-circle (haversine) metres unless the
// line carries its own length, which is then shared among its pieces by their great-circle lengths.

import { DIRECTION_BOTH, type RoadEdgeList } from './road-graph';

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

const RADIANS_PER_DEGREE = Math.PI / 180;

/** cos of a latitude in degrees, as haversineTerm takes it. */
export function cosLatitude(lat: number): number {
  return Math.cos(lat * RADIANS_PER_DEGREE);
}

/**
 * The haversine term a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2) of two WGS84 positions (degrees),
 * given cosLatitude of each: it grows with the distance, so nearest-neighbour work can compare terms
 * and turn only the winner into metres (metersOfHaversineTerm).
 */
export function haversineTerm(lng1: number, lat1: number, cosLat1: number, lng2: number, lat2: number, cosLat2: number): number {
  const sinLat = Math.sin(((lat2 - lat1) * RADIANS_PER_DEGREE) / 2);
  const sinLng = Math.sin(((lng2 - lng1) * RADIANS_PER_DEGREE) / 2);
  return sinLat * sinLat + cosLat1 * cosLat2 * sinLng * sinLng;
}

/** Great-circle metres of a haversine term (on the mean sphere). */
export function metersOfHaversineTerm(a: number): number {
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Great-circle distance in metres between two WGS84 positions (haversine on the mean sphere). */
export function haversineMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  return metersOfHaversineTerm(haversineTerm(lng1, lat1, cosLatitude(lat1), lng2, lat2, cosLatitude(lat2)));
}

/** Lines over a shared set of points (struct of arrays). */
export interface PolylineSet {
  /** [lng, lat] per point id, WGS84 degrees. */
  pointLngLat: Float64Array;
  /** Points of line l: linePoints[lineOffsets[l] … lineOffsets[l + 1] - 1]. */
  lineOffsets: Uint32Array;
  linePoints: Uint32Array;
  /** The line's own walking length in metres, or NaN to use its great-circle length. */
  lineLengthMeters: Float64Array;
  /** DIRECTION_* bits per line (in point order). */
  lineDirection: Uint8Array;
}

export interface PolylineNetwork extends RoadEdgeList {
  /** The point id of each node. */
  nodePointId: Uint32Array;
  /** The line each edge was cut from. */
  edgeLine: Uint32Array;
}

/** Cuts every line of `set` at its shared points; lines with fewer than 2 points are dropped. */
export function splitPolylinesAtSharedPoints(set: PolylineSet): PolylineNetwork {
  const { pointLngLat, lineOffsets, linePoints } = set;
  const lineCount = lineOffsets.length - 1;
  const pointCount = pointLngLat.length / 2;
  // Uses per point; a line end counts twice so that it is always a vertex.
  const uses = new Uint8Array(pointCount);
  const bump = (p: number, by: number): void => {
    uses[p] = Math.min(255, uses[p]! + by);
  };
  for (let l = 0; l < lineCount; l++) {
    const start = lineOffsets[l]!;
    const end = lineOffsets[l + 1]!;
    if (end - start < 2) continue;
    bump(linePoints[start]!, 2);
    bump(linePoints[end - 1]!, 2);
    for (let i = start + 1; i < end - 1; i++) bump(linePoints[i]!, 1);
  }
  const nodeOfPoint = new Int32Array(pointCount).fill(-1);
  const nodePoints: number[] = [];
  for (let p = 0; p < pointCount; p++) {
    if (uses[p]! >= 2) {
      nodeOfPoint[p] = nodePoints.length;
      nodePoints.push(p);
    }
  }
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeLength: number[] = [];
  const edgeDirection: number[] = [];
  const edgeLine: number[] = [];
  const shapeOffsets: number[] = [0];
  const shapeLngLat: number[] = [];
  const segmentMeters = (a: number, b: number): number =>
    haversineMeters(pointLngLat[a * 2]!, pointLngLat[a * 2 + 1]!, pointLngLat[b * 2]!, pointLngLat[b * 2 + 1]!);
  for (let l = 0; l < lineCount; l++) {
    const start = lineOffsets[l]!;
    const end = lineOffsets[l + 1]!;
    if (end - start < 2) continue;
    const firstEdge = edgeFrom.length;
    let lineMeters = 0;
    let pieceStart = start;
    let pieceMeters = 0;
    for (let i = start + 1; i < end; i++) {
      const meters = segmentMeters(linePoints[i - 1]!, linePoints[i]!);
      pieceMeters += meters;
      lineMeters += meters;
      const p = linePoints[i]!;
      if (nodeOfPoint[p]! < 0) continue;
      edgeFrom.push(nodeOfPoint[linePoints[pieceStart]!]!);
      edgeTo.push(nodeOfPoint[p]!);
      edgeLength.push(pieceMeters);
      edgeDirection.push(set.lineDirection[l] ?? DIRECTION_BOTH);
      edgeLine.push(l);
      for (let k = pieceStart + 1; k < i; k++) shapeLngLat.push(pointLngLat[linePoints[k]! * 2]!, pointLngLat[linePoints[k]! * 2 + 1]!);
      shapeOffsets.push(shapeLngLat.length / 2);
      pieceStart = i;
      pieceMeters = 0;
    }
    const own = set.lineLengthMeters[l]!;
    if (!Number.isNaN(own)) {
      // The line's own length, shared by great-circle share (evenly if the line has no extent).
      const pieces = edgeFrom.length - firstEdge;
      for (let e = firstEdge; e < edgeFrom.length; e++) {
        edgeLength[e] = pieces === 1 ? own : lineMeters > 0 ? (own * edgeLength[e]!) / lineMeters : own / pieces;
      }
    }
  }
  const nodeLngLat = new Float64Array(nodePoints.length * 2);
  nodePoints.forEach((p, n) => {
    nodeLngLat[n * 2] = pointLngLat[p * 2]!;
    nodeLngLat[n * 2 + 1] = pointLngLat[p * 2 + 1]!;
  });
  return {
    nodeLngLat,
    nodePointId: Uint32Array.from(nodePoints),
    edgeFrom: Uint32Array.from(edgeFrom),
    edgeTo: Uint32Array.from(edgeTo),
    edgeLengthMeters: Float64Array.from(edgeLength),
    edgeDirection: Uint8Array.from(edgeDirection),
    edgeLine: Uint32Array.from(edgeLine),
    shapeOffsets: Uint32Array.from(shapeOffsets),
    shapeLngLat: Float64Array.from(shapeLngLat),
  };
}
