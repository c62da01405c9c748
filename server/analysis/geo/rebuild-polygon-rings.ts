// Rebuilds valid polygon rings from the boundary 1-chain of messy input rings: directed segments of all
// rings are summed (opposite uses cancel, so zero-width spikes and doubled corridors vanish), then the
// remaining directed segments are walked into rings with the tightest-turn rule, which splits rings
// at pinch vertices. Every surviving vertex is an input vertex, so neighbours that shared vertices
// before still share them after (no snapping, no collinear-point removal).

import type { Position } from 'geojson';

/** A polygon as rings of [x, y]; the first ring is the shell, the rest are holes (any orientation). */
export type LooseRings = Position[][];

/** GeoJSON-style MultiPolygon coordinates: shells counter-clockwise, holes clockwise (RFC 7946). */
export type MultiPolygonCoordinates = Position[][][];

interface DirectedSegment {
  from: number;
  to: number;
}

/** Signed area (shoelace) of a closed ring in its own units; positive when counter-clockwise. */
export function signedRingArea(ring: readonly Position[]): number {
  let twiceArea = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    twiceArea += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return twiceArea / 2;
}

/**
 * Rebuilds one unit's polygons from the given parts.
 *
 * Each part's shell is read as counter-clockwise and its holes as clockwise whatever their stored
 * orientation, so the unit's interior lies on the left of every directed segment. Segments used in
 * both directions by the same unit cancel. The result has no repeated consecutive vertices, no
 * spikes and no self-touching rings; holes are attached to the smallest shell holding them.
 *
 * Coordinates are compared exactly: inputs from one quantised source keep their shared vertices.
 */
export function rebuildPolygonRings(parts: readonly LooseRings[]): MultiPolygonCoordinates {
  const vertexIndex = new Map<string, number>();
  const vertices: Position[] = [];
  const indexOf = (p: Position): number => {
    const key = `${p[0]},${p[1]}`;
    let index = vertexIndex.get(key);
    if (index === undefined) {
      index = vertices.length;
      vertexIndex.set(key, index);
      vertices.push([p[0]!, p[1]!]);
    }
    return index;
  };

  // Net use of each undirected segment, keyed "low,high" by vertex index: +1 per low→high traversal.
  const netUse = new Map<string, number>();
  for (const part of parts) {
    part.forEach((ring, ringIndex) => {
      const wantCounterClockwise = ringIndex === 0;
      const reverse = signedRingArea(ring) > 0 !== wantCounterClockwise;
      const indices = ring.map(indexOf);
      if (reverse) indices.reverse();
      for (let i = 0; i + 1 < indices.length; i++) {
        const a = indices[i]!;
        const b = indices[i + 1]!;
        if (a === b) continue;
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        netUse.set(key, (netUse.get(key) ?? 0) + (a < b ? 1 : -1));
      }
    });
  }

  // Undirected edges with their net use; zero-use edges (spikes, doubled corridors) are gone.
  const edges: { low: number; high: number; use: number }[] = [];
  for (const [key, use] of netUse) {
    if (use === 0) continue;
    const comma = key.indexOf(',');
    edges.push({ low: Number(key.slice(0, comma)), high: Number(key.slice(comma + 1)), use });
  }
  // Deterministic order whatever the map iteration order was.
  edges.sort((e, f) => e.low - f.low || e.high - f.high);

  // Winding number of the material on each side: the face left of low→high has winding `w`, the right
  // side `w - use`. Faces come from tracing the arrangement of all edges; one probe point per face.
  const allSegments: DirectedSegment[] = [];
  for (const edge of edges) {
    allSegments.push({ from: edge.low, to: edge.high }, { from: edge.high, to: edge.low });
  }
  const faceOf = traceFaces(vertices, allSegments);
  const windingByFace = new Map<number, number>();
  const windingLeftOf = (segmentIndex: number): number => {
    const face = faceOf[segmentIndex]!;
    let winding = windingByFace.get(face);
    if (winding === undefined) {
      const { from, to } = allSegments[segmentIndex]!;
      winding = windingNumber(pointLeftOfSegment(vertices[from]!, vertices[to]!), vertices, edges);
      windingByFace.set(face, winding);
    }
    return winding;
  };

  // Material is where the winding number is at least one (the non-zero rule); keep the edges between
  // material and non-material, directed with the material on the left.
  const segments: DirectedSegment[] = [];
  edges.forEach((edge, index) => {
    const inLeft = windingLeftOf(2 * index) >= 1;
    const inRight = windingLeftOf(2 * index + 1) >= 1;
    if (inLeft && !inRight) segments.push({ from: edge.low, to: edge.high });
    else if (inRight && !inLeft) segments.push({ from: edge.high, to: edge.low });
  });
  const faceRings = traceFaces(vertices, segments, true);

  const shells: Position[][] = [];
  const holes: Position[][] = [];
  for (const ringIndices of faceRings.rings.flatMap(splitAtRepeatedVertices)) {
    const ring = ringIndices.map((index) => vertices[index]!);
    if (ring.length < 4) continue;
    const area = signedRingArea(ring);
    if (area > 0) shells.push(ring);
    else if (area < 0) holes.push(ring);
  }

  const polygons: Position[][][] = shells
    .map((shell) => ({ shell, area: signedRingArea(shell) }))
    .sort((p, q) => p.area - q.area)
    .map(({ shell }) => [shell]);
  for (const hole of holes) {
    const probe = pointLeftOfSegment(hole[0]!, hole[1]!);
    // Shells are sorted smallest first, so the first that holds the probe is the tightest.
    const owner = polygons.find((polygon) => pointInRing(probe, polygon[0]!));
    if (owner) owner.push(hole);
  }
  return polygons;
}

/** Cycles of the "next" map: for each segment, the face on its left (`faceOf`), and the cycles as rings. */
function traceFaces(vertices: readonly Position[], segments: readonly DirectedSegment[]): Int32Array;
function traceFaces(
  vertices: readonly Position[],
  segments: readonly DirectedSegment[],
  asRings: true,
): { rings: number[][] };
function traceFaces(
  vertices: readonly Position[],
  segments: readonly DirectedSegment[],
  asRings?: true,
): Int32Array | { rings: number[][] } {
  const outgoing = new Map<number, number[]>();
  segments.forEach((segment, index) => {
    const list = outgoing.get(segment.from);
    if (list) list.push(index);
    else outgoing.set(segment.from, [index]);
  });
  const angleOf = (from: number, to: number): number =>
    Math.atan2(vertices[to]![1]! - vertices[from]![1]!, vertices[to]![0]! - vertices[from]![0]!);

  // The next segment of the face left of `incoming` is the first outgoing one met when sweeping
  // clockwise from the direction back along `incoming`. This pairs every incoming segment with one
  // outgoing segment whenever faces alternate around each vertex, which holds for a full arrangement
  // (both directions of every edge) and for the edges between material and non-material.
  const next = (incoming: number): number => {
    const { from, to } = segments[incoming]!;
    const candidates = outgoing.get(to);
    // No way on: the segments do not form closed rings here (input that was not noded).
    if (candidates === undefined) return -1;
    if (candidates.length === 1) return candidates[0]!;
    const back = angleOf(to, from);
    let best = candidates[0]!;
    let bestSweep = Infinity;
    for (const candidate of candidates) {
      let sweep = back - angleOf(to, segments[candidate]!.to);
      while (sweep <= 0) sweep += 2 * Math.PI;
      while (sweep > 2 * Math.PI) sweep -= 2 * Math.PI;
      if (sweep < bestSweep) {
        bestSweep = sweep;
        best = candidate;
      }
    }
    return best;
  };

  const faceOf = new Int32Array(segments.length).fill(-1);
  const rings: number[][] = [];
  let faceCount = 0;
  for (let start = 0; start < segments.length; start++) {
    if (faceOf[start] !== -1) continue;
    const ring = [segments[start]!.from];
    let current = start;
    do {
      faceOf[current] = faceCount;
      ring.push(segments[current]!.to);
      current = next(current);
    } while (current !== start && current !== -1 && faceOf[current] === -1);
    faceCount += 1;
    if (current === start) rings.push(ring);
  }
  return asRings ? { rings } : faceOf;
}

/**
 * Splits a closed cycle of vertex indices that passes a vertex more than once into simple closed
 * rings (a face that touches itself becomes a shell and a hole touching it at that vertex).
 */
function splitAtRepeatedVertices(cycle: number[]): number[][] {
  const rings: number[][] = [];
  const path: number[] = [];
  const positionInPath = new Map<number, number>();
  for (let i = 0; i < cycle.length - 1; i++) {
    const vertex = cycle[i]!;
    const seenAt = positionInPath.get(vertex);
    if (seenAt !== undefined) {
      const loop = path.splice(seenAt);
      for (const v of loop) positionInPath.delete(v);
      loop.push(vertex);
      rings.push(loop);
    }
    positionInPath.set(vertex, path.length);
    path.push(vertex);
  }
  path.push(path[0]!);
  rings.push(path);
  return rings;
}

/** Non-zero winding number of a point with respect to weighted directed edges (low→high, `use` times). */
function windingNumber(
  point: Position,
  vertices: readonly Position[],
  edges: readonly { low: number; high: number; use: number }[],
): number {
  const y = point[1]!;
  let winding = 0;
  for (const { low, high, use } of edges) {
    const a = vertices[low]!;
    const b = vertices[high]!;
    if (a[1]! <= y) {
      if (b[1]! > y && cross(a, b, point) > 0) winding += use;
    } else if (b[1]! <= y && cross(a, b, point) < 0) {
      winding -= use;
    }
  }
  return winding;
  function cross(p: Position, q: Position, r: Position): number {
    return (q[0]! - p[0]!) * (r[1]! - p[1]!) - (r[0]! - p[0]!) * (q[1]! - p[1]!);
  }
}

/** A point just left of the middle of a→b (into the face on the segment's left). */
function pointLeftOfSegment(a: Position, b: Position): Position {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const scale = 1e-6;
  return [(a[0]! + b[0]!) / 2 - dy * scale, (a[1]! + b[1]!) / 2 + dx * scale];
}

/** Even-odd point-in-ring test (ray casting); points on the boundary may fall either way. */
export function pointInRing(point: Position, ring: readonly Position[]): boolean {
  const x = point[0]!;
  const y = point[1]!;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
