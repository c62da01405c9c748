// Assigns the faces of a noded planar arrangement to units. Every unit contributes rings (its boundary
// 1-chain, possibly messy); the faces of all rings together are traced once, each face gets the
// winding number of every unit around it, a rule picks at most one owner per face, and each unit's
// polygons are walked from the edges between its faces and the rest. Owners never overlap, and
// vertices are kept exactly, so neighbours share their edges vertex for vertex.

import type { Position } from 'geojson';

/** A unit's input: polygon parts, each a list of closed rings (first = shell, rest = holes). */
export type UnitParts = Position[][][];

/** GeoJSON MultiPolygon coordinates: shells counter-clockwise, holes clockwise (RFC 7946). */
export type MultiPolygonCoordinates = Position[][][];

/**
 * Picks the owner of a face from the units' winding numbers around it (unit index → winding; units
 * with winding 0 are absent), or returns -1 to leave the face empty.
 */
export type FaceOwnerRule = (windingByUnit: ReadonlyMap<number, number>) => number;

/** The non-zero rule with ties broken by the lowest unit index: each face to one unit that covers it. */
export const lowestCoveringUnit: FaceOwnerRule = (windingByUnit) => {
  let owner = -1;
  for (const [unit, winding] of windingByUnit) if (winding >= 1 && (owner === -1 || unit < owner)) owner = unit;
  return owner;
};

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

interface Segment {
  from: number;
  to: number;
}

/**
 * Partitions the faces of all units' rings. Each part's shell is read as counter-clockwise and its
 * holes as clockwise whatever their stored orientation; `weights[u]` (default 1) scales unit u's
 * winding, so a weight of -1 subtracts a unit. The rings must be noded together (no two segments
 * cross; see node-ring-crossings.ts). Returns one MultiPolygon per unit (empty when it owns nothing):
 * no repeated consecutive vertices, no spikes, no self-touching rings, holes in their tightest shell.
 */
export function partitionPlanarFaces(
  units: readonly UnitParts[],
  ownerOf: FaceOwnerRule = lowestCoveringUnit,
  weights?: readonly number[],
): MultiPolygonCoordinates[] {
  const vertexIndex = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const vertices: Position[] = [];
  const indexOf = (p: Position): number => {
    const key = `${p[0]},${p[1]}`;
    let index = vertexIndex.get(key);
    if (index === undefined) {
      index = vertices.length;
      vertexIndex.set(key, index);
      vertices.push([p[0]!, p[1]!]);
      xs.push(p[0]!);
      ys.push(p[1]!);
    }
    return index;
  };

  // Undirected edges (low < high vertex index) with each unit's net use: +1 per low→high traversal.
  const edgeIndex = new Map<string, number>();
  const edgeLow: number[] = [];
  const edgeHigh: number[] = [];
  const edgeUses: Map<number, number>[] = [];
  units.forEach((parts, unit) => {
    const weight = weights?.[unit] ?? 1;
    for (const part of parts) {
      part.forEach((ring, ringIndex) => {
        const reverse = signedRingArea(ring) > 0 !== (ringIndex === 0);
        const indices = ring.map(indexOf);
        if (reverse) indices.reverse();
        for (let i = 0; i + 1 < indices.length; i++) {
          const a = indices[i]!;
          const b = indices[i + 1]!;
          if (a === b) continue;
          const low = a < b ? a : b;
          const high = a < b ? b : a;
          const key = `${low},${high}`;
          let edge = edgeIndex.get(key);
          if (edge === undefined) {
            edge = edgeLow.length;
            edgeIndex.set(key, edge);
            edgeLow.push(low);
            edgeHigh.push(high);
            edgeUses.push(new Map());
          }
          const uses = edgeUses[edge]!;
          uses.set(unit, (uses.get(unit) ?? 0) + (a < b ? weight : -weight));
        }
      });
    }
  });

  // Keep edges some unit still uses; order them deterministically (by vertex index, i.e. input order).
  const edges: number[] = [];
  for (let e = 0; e < edgeLow.length; e++) {
    for (const use of edgeUses[e]!.values()) {
      if (use !== 0) {
        edges.push(e);
        break;
      }
    }
  }
  edges.sort((e, f) => edgeLow[e]! - edgeLow[f]! || edgeHigh[e]! - edgeHigh[f]!);

  // Half-edges 2k (low→high) and 2k+1 (high→low) of kept edge k; trace the faces on their left.
  const halfEdges: Segment[] = [];
  for (const e of edges) halfEdges.push({ from: edgeLow[e]!, to: edgeHigh[e]! }, { from: edgeHigh[e]!, to: edgeLow[e]! });
  const faceOf = traceFaces(xs, ys, halfEdges).faceOf;

  // Winding of every unit around each face. One face per connected piece of the arrangement gets it
  // from a ray cast east from a probe point (through the edges of the probe's horizontal slab); the
  // others by walking across edges: the face left of low→high edge k winds each unit `use` more than
  // the face on its right.
  const faceCount = faceOf.reduce((max, face) => Math.max(max, face + 1), 0);
  const windingByFace: (Map<number, number> | undefined)[] = new Array(faceCount);
  const halfEdgesByFace: number[][] = Array.from({ length: faceCount }, () => []);
  for (let h = 0; h < halfEdges.length; h++) halfEdgesByFace[faceOf[h]!]!.push(h);
  const slabIndex = createEdgeSlabIndex(xs, ys, edges.map((e) => edgeLow[e]!), edges.map((e) => edgeHigh[e]!));
  const castWinding = (halfEdge: number): Map<number, number> => {
    const { from, to } = halfEdges[halfEdge]!;
    const [px, py] = pointLeftOfSegment(xs[from]!, ys[from]!, xs[to]!, ys[to]!);
    const windingByUnit = new Map<number, number>();
    slabIndex.forEachEdgeCrossingRay(px, py, (k, upward) => {
      // An upward edge (low→high going north) crossing the ray east of the probe has the probe on its
      // left: each unit's winding grows by its low→high use; a downward edge the opposite.
      for (const [unit, use] of edgeUses[edges[k]!]!) addWinding(windingByUnit, unit, upward ? use : -use);
    });
    return windingByUnit;
  };
  for (let seedFace = 0; seedFace < faceCount; seedFace++) {
    if (windingByFace[seedFace] !== undefined) continue;
    windingByFace[seedFace] = castWinding(halfEdgesByFace[seedFace]![0]!);
    const queue = [seedFace];
    while (queue.length > 0) {
      const face = queue.pop()!;
      const winding = windingByFace[face]!;
      for (const h of halfEdgesByFace[face]!) {
        const across = faceOf[h ^ 1]!;
        if (windingByFace[across] !== undefined) continue;
        // h even: low→high with `face` on its left, so the face across (right) winds `use` less.
        const sign = (h & 1) === 0 ? -1 : 1;
        const next = new Map(winding);
        for (const [unit, use] of edgeUses[edges[h >> 1]!]!) addWinding(next, unit, sign * use);
        windingByFace[across] = next;
        queue.push(across);
      }
    }
  }
  const ownerByFace = windingByFace.map((winding) => ownerOf(winding!));
  const faceOwner = (halfEdge: number): number => ownerByFace[faceOf[halfEdge]!]!;

  // Each unit's boundary: the half-edges with its face on the left and another owner on the right.
  const segmentsByUnit = new Map<number, Segment[]>();
  for (let k = 0; k < edges.length; k++) {
    const leftOwner = faceOwner(2 * k);
    const rightOwner = faceOwner(2 * k + 1);
    if (leftOwner === rightOwner) continue;
    if (leftOwner >= 0) pushSegment(segmentsByUnit, leftOwner, halfEdges[2 * k]!);
    if (rightOwner >= 0) pushSegment(segmentsByUnit, rightOwner, halfEdges[2 * k + 1]!);
  }

  return units.map((_, unit) => {
    const segments = segmentsByUnit.get(unit);
    return segments ? assemblePolygons(vertices, xs, ys, segments) : [];
  });
}

function addWinding(windingByUnit: Map<number, number>, unit: number, delta: number): void {
  if (delta === 0) return;
  const next = (windingByUnit.get(unit) ?? 0) + delta;
  if (next === 0) windingByUnit.delete(unit);
  else windingByUnit.set(unit, next);
}

function pushSegment(map: Map<number, Segment[]>, unit: number, segment: Segment): void {
  const list = map.get(unit);
  if (list) list.push(segment);
  else map.set(unit, [segment]);
}

/** Rings from a unit's boundary half-edges (interior on the left): shells with their holes. */
function assemblePolygons(vertices: Position[], xs: number[], ys: number[], segments: Segment[]): MultiPolygonCoordinates {
  const shells: Position[][] = [];
  const holes: Position[][] = [];
  for (const cycle of traceFaces(xs, ys, segments).cycles) {
    for (const ringIndices of splitAtRepeatedVertices(cycle)) {
      if (ringIndices.length < 4) continue;
      const ring = ringIndices.map((index) => vertices[index]!);
      const area = signedRingArea(ring);
      if (area > 0) shells.push(ring);
      else if (area < 0) holes.push(ring);
    }
  }
  const polygons: Position[][][] = shells
    .map((shell) => ({ shell, area: signedRingArea(shell) }))
    .sort((p, q) => p.area - q.area)
    .map(({ shell }) => [shell]);
  for (const hole of holes) {
    const [px, py] = pointLeftOfSegment(hole[0]![0]!, hole[0]![1]!, hole[1]![0]!, hole[1]![1]!);
    // Shells are sorted smallest first, so the first that holds the probe is the tightest.
    const owner = polygons.find((polygon) => pointInRing([px, py], polygon[0]!));
    if (owner) owner.push(hole);
  }
  // Largest first: the main body of a unit leads its MultiPolygon.
  return polygons.reverse();
}

/**
 * Cycles of the "next" map and, for every segment, the index of the cycle (face) on its left. The next
 * segment of the face left of `incoming` is the first outgoing one met when sweeping clockwise from the
 * direction back along `incoming`; this pairs incoming with outgoing segments whenever faces alternate
 * around each vertex, which holds for a full arrangement and for the boundary of a set of its faces.
 */
function traceFaces(xs: number[], ys: number[], segments: readonly Segment[]): { faceOf: Int32Array; cycles: number[][] } {
  const outgoing = new Map<number, number[]>();
  segments.forEach((segment, index) => {
    const list = outgoing.get(segment.from);
    if (list) list.push(index);
    else outgoing.set(segment.from, [index]);
  });
  const angleOf = (from: number, to: number): number => Math.atan2(ys[to]! - ys[from]!, xs[to]! - xs[from]!);
  const next = (incoming: number): number => {
    const { from, to } = segments[incoming]!;
    const candidates = outgoing.get(to);
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
  const cycles: number[][] = [];
  let faceCount = 0;
  for (let start = 0; start < segments.length; start++) {
    if (faceOf[start] !== -1) continue;
    const cycle = [segments[start]!.from];
    let current = start;
    do {
      faceOf[current] = faceCount;
      cycle.push(segments[current]!.to);
      current = next(current);
    } while (current !== start && current !== -1 && faceOf[current] === -1);
    faceCount += 1;
    if (current === start) cycles.push(cycle);
  }
  return { faceOf, cycles };
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

/** A point just left of the middle of a→b (inside the face on the segment's left). */
function pointLeftOfSegment(ax: number, ay: number, bx: number, by: number): [number, number] {
  const scale = 1e-6;
  return [(ax + bx) / 2 - (by - ay) * scale, (ay + by) / 2 + (bx - ax) * scale];
}

/** Edges bucketed by horizontal slab, for rays cast east from a point. */
function createEdgeSlabIndex(xs: number[], ys: number[], from: number[], to: number[]) {
  let minY = Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < from.length; k++) {
    minY = Math.min(minY, ys[from[k]!]!, ys[to[k]!]!);
    maxY = Math.max(maxY, ys[from[k]!]!, ys[to[k]!]!);
  }
  const slabs = Math.max(1, Math.min(65536, Math.ceil(from.length / 4)));
  const slabHeight = (maxY - minY) / slabs || 1;
  const slabOf = (y: number): number => Math.min(slabs - 1, Math.max(0, Math.floor((y - minY) / slabHeight)));
  const buckets: number[][] = Array.from({ length: slabs }, () => []);
  for (let k = 0; k < from.length; k++) {
    const y0 = ys[from[k]!]!;
    const y1 = ys[to[k]!]!;
    for (let s = slabOf(Math.min(y0, y1)), end = slabOf(Math.max(y0, y1)); s <= end; s++) buckets[s]!.push(k);
  }
  return {
    /** Calls back for each edge the ray from (x, y) eastwards crosses, with whether it runs northwards. */
    forEachEdgeCrossingRay(x: number, y: number, visit: (edge: number, upward: boolean) => void): void {
      if (y < minY || y > maxY) return;
      for (const k of buckets[slabOf(y)]!) {
        const x0 = xs[from[k]!]!;
        const y0 = ys[from[k]!]!;
        const x1 = xs[to[k]!]!;
        const y1 = ys[to[k]!]!;
        // Half-open rule on y so a ray through a vertex counts one of its two edges.
        if (y0 <= y !== y1 <= y) {
          const crossX = x0 + ((y - y0) * (x1 - x0)) / (y1 - y0);
          if (crossX > x) visit(k, y1 > y0);
        }
      }
    },
  };
}
