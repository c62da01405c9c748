// Street links of one city from its candidate intersections: the Delaunay triangulation thinned to a
// quad-like planar mesh (each triangle's longest side dropped), cut at barriers except at spaced
// crossings, then gated, thinned at random, classified, and pruned of tiny components (union-find).

import { Delaunay } from 'd3-delaunay';
import type { Rng } from '../../server/analysis/random';
import type { Barrier } from './walking-network-barriers';
import type { BankStations, PointBuffer } from './walking-network-points';
import { GATE_DELETE, GATE_PATH, GATE_STUB } from './walking-network-points';
import type { AreaLocator, SegmentGrid } from './walking-network-geometry';

/** Edge class indices, in the order of `EDGE_CLASSES` in walking-network.ts. */
export const CLASS_LOCAL = 0;
export const CLASS_ARTERIAL = 1;
export const CLASS_BRIDGE = 2;
export const CLASS_RAIL_CROSSING = 3;
export const CLASS_PATH = 4;

/** A link longer than this many times the local block side is not a street (bays, gaps, barriers). */
const MAX_LINK_SCALE = 1.75;
/** Share of ordinary local links dropped at random (missing links, dead ends). */
const LOCAL_DROP_SHARE = 0.03;
/** Components with fewer nodes are removed. */
export const MIN_COMPONENT_NODES = 10;

const BAD = 1;
const REMOVED = 2;

export interface LinkInput {
  points: PointBuffer;
  barriers: Barrier[];
  barrierGrid: SegmentGrid;
  locator: AreaLocator;
  banks: BankStations[];
  rng: Rng;
}

/** The links of one city: struct of arrays over point indices of the input buffer. */
export interface CityLinks {
  count: number;
  from: Int32Array;
  to: Int32Array;
  edgeClass: Uint8Array;
  /** City-local area index of the link's midpoint (the from-point's area when the midpoint is outside). */
  area: Int32Array;
  /** Barrier index a crossing link crosses; -1 for every other link. */
  crossingBarrier: Int16Array;
}

/** Builds the street links of one city; see the module comment for the method. */
export function buildCityLinks(input: LinkInput): CityLinks {
  const { points, barrierGrid, locator } = input;
  const n = points.count;
  const coords = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    coords[2 * i] = points.x[i]!;
    coords[2 * i + 1] = points.y[i]!;
  }
  const delaunay = new Delaunay(coords);
  const { triangles, halfedges } = delaunay;
  const halfedgeCount = triangles.length;
  const status = new Uint8Array(halfedgeCount);
  const midArea = new Int32Array(halfedgeCount).fill(-1);

  // 1. Links that cannot be streets: too long, leaving the areas, or crossing a barrier.
  const barrierCount = input.barriers.length;
  for (let e = 0; e < halfedgeCount; e++) {
    const twin = halfedges[e]!;
    if (twin !== -1 && twin < e) continue;
    const a = triangles[e]!;
    const b = triangles[e % 3 === 2 ? e - 2 : e + 1]!;
    const ax = points.x[a]!;
    const ay = points.y[a]!;
    const bx = points.x[b]!;
    const by = points.y[b]!;
    const limit = MAX_LINK_SCALE * Math.max(points.scaleMeters[a]!, points.scaleMeters[b]!);
    const dx = bx - ax;
    const dy = by - ay;
    let bad = dx * dx + dy * dy > limit * limit;
    if (!bad) {
      const area = locator.locate((ax + bx) / 2, (ay + by) / 2);
      midArea[e] = area;
      bad = area < 0 || (barrierCount > 0 && barrierGrid.countCrossings(ax, ay, bx, by) > 0);
    }
    if (bad) {
      status[e] = BAD;
      if (twin !== -1) status[twin] = BAD;
    }
  }

  // 2. In every triangle of good links, drop the strictly longest side: a jittered lattice keeps its
  // block sides and loses the diagonals. The kept links contain the minimum spanning forest of the good
  // links (the dropped side is the longest of a cycle), so no connectivity is lost.
  const triangleCount = halfedgeCount / 3;
  for (let t = 0; t < triangleCount; t++) {
    const e0 = 3 * t;
    if (status[e0] === BAD || status[e0 + 1] === BAD || status[e0 + 2] === BAD) continue;
    const p0 = triangles[e0]!;
    const p1 = triangles[e0 + 1]!;
    const p2 = triangles[e0 + 2]!;
    const l0 = squaredDistance(points, p0, p1);
    const l1 = squaredDistance(points, p1, p2);
    const l2 = squaredDistance(points, p2, p0);
    let longest = -1;
    if (l0 > l1 * 1.000001 && l0 > l2 * 1.000001) longest = e0;
    else if (l1 > l0 * 1.000001 && l1 > l2 * 1.000001) longest = e0 + 1;
    else if (l2 > l0 * 1.000001 && l2 > l1 * 1.000001) longest = e0 + 2;
    if (longest < 0) continue;
    status[longest] = REMOVED;
    const twin = halfedges[longest]!;
    if (twin !== -1) status[twin] = REMOVED;
  }

  // 3. Crossings: among the triangulation's links between opposite side points of a barrier, keep one
  // every spacing draw along the barrier, when it crosses that barrier once and nothing else.
  const crossingA: number[] = [];
  const crossingB: number[] = [];
  const crossingClass: number[] = [];
  const crossingBarrierOf: number[] = [];
  const crossingCounts = new Int32Array(barrierCount);
  const crossingRng = input.rng.fork('crossings');
  for (const bank of input.banks) {
    const barrier = input.barriers[bank.barrier]!;
    const stationCount = bank.stationMeters.length;
    let next = -Infinity;
    for (let s = 0; s < stationCount; s++) {
      const station = bank.stationMeters[s]!;
      const left = bank.left[s]!;
      if (left < 0 || station < next) continue;
      // The shortest triangulation link from this left point to a right point of a nearby station.
      let best = -1;
      let bestLength = Infinity;
      for (const neighbour of delaunay.neighbors(left)) {
        if (points.bankBarrier[neighbour] !== bank.barrier || points.bankSide[neighbour] !== -1) continue;
        if (Math.abs(points.bankStation[neighbour]! - s) > 1) continue;
        const length = squaredDistance(points, left, neighbour);
        if (length >= bestLength) continue;
        crossingCounts.fill(0);
        const total = barrierGrid.countCrossings(
          points.x[left]!, points.y[left]!, points.x[neighbour]!, points.y[neighbour]!, crossingCounts,
        );
        if (total !== 1 || crossingCounts[bank.barrier] !== 1) continue;
        best = neighbour;
        bestLength = length;
      }
      if (best < 0) continue;
      if (next === -Infinity) {
        // The first crossing comes within one spacing of the barrier's first usable station.
        next = station + crossingRng.uniform(0, barrier.crossingSpacingMaxMeters - barrier.crossingSpacingMinMeters);
        if (station < next) continue;
      }
      crossingA.push(left);
      crossingB.push(best);
      crossingClass.push(barrier.kind === 'river' ? CLASS_BRIDGE : CLASS_RAIL_CROSSING);
      crossingBarrierOf.push(bank.barrier);
      next = station + crossingRng.uniform(barrier.crossingSpacingMinMeters, barrier.crossingSpacingMaxMeters);
    }
  }

  // 4. Kept links: gating, classes, random drops.
  const dropRng = input.rng.fork('drops');
  let capacity = 0;
  for (let e = 0; e < halfedgeCount; e++) {
    const twin = halfedges[e]!;
    if ((twin === -1 || twin > e) && status[e] === 0) capacity++;
  }
  capacity += crossingA.length;
  const from = new Int32Array(capacity);
  const to = new Int32Array(capacity);
  const edgeClass = new Uint8Array(capacity);
  const area = new Int32Array(capacity);
  const crossingBarrier = new Int16Array(capacity).fill(-1);
  let count = 0;
  for (let e = 0; e < halfedgeCount; e++) {
    const twin = halfedges[e]!;
    if ((twin !== -1 && twin < e) || status[e] !== 0) continue;
    const a = triangles[e]!;
    const b = triangles[e % 3 === 2 ? e - 2 : e + 1]!;
    const gateA = points.gate[a]!;
    const gateB = points.gate[b]!;
    if (gateA === GATE_DELETE || gateB === GATE_DELETE) continue;
    if (gateA === GATE_STUB && !isStubLink(points, a, b)) continue;
    if (gateB === GATE_STUB && !isStubLink(points, b, a)) continue;
    let linkClass = CLASS_LOCAL;
    if (
      (points.lineU[a]! >= 0 && points.lineU[a] === points.lineU[b]) ||
      (points.lineV[a]! >= 0 && points.lineV[a] === points.lineV[b])
    ) {
      linkClass = CLASS_ARTERIAL;
    } else if (gateA === GATE_PATH || gateB === GATE_PATH) {
      linkClass = CLASS_PATH;
    } else if (
      points.bankBarrier[a]! >= 0 &&
      points.bankBarrier[a] === points.bankBarrier[b] &&
      points.bankSide[a] === points.bankSide[b] &&
      input.barriers[points.bankBarrier[a]!]!.kind === 'river'
    ) {
      linkClass = CLASS_PATH;
    }
    if (linkClass === CLASS_LOCAL && gateA !== GATE_STUB && gateB !== GATE_STUB && dropRng.next() < LOCAL_DROP_SHARE) {
      continue;
    }
    from[count] = a;
    to[count] = b;
    edgeClass[count] = linkClass;
    area[count] = midArea[e]!;
    count++;
  }
  for (let k = 0; k < crossingA.length; k++) {
    const a = crossingA[k]!;
    const b = crossingB[k]!;
    from[count] = a;
    to[count] = b;
    edgeClass[count] = crossingClass[k]!;
    crossingBarrier[count] = crossingBarrierOf[k]!;
    const mid = locator.locate((points.x[a]! + points.x[b]!) / 2, (points.y[a]! + points.y[b]!) / 2);
    area[count] = mid >= 0 ? mid : points.area[a]!;
    count++;
  }
  return {
    count,
    from: from.subarray(0, count),
    to: to.subarray(0, count),
    edgeClass: edgeClass.subarray(0, count),
    area: area.subarray(0, count),
    crossingBarrier: crossingBarrier.subarray(0, count),
  };
}

/** A cul-de-sac end keeps only its link back to the lattice point before it on the same line. */
function isStubLink(points: PointBuffer, stub: number, other: number): boolean {
  return (
    points.zone[other] === points.zone[stub] &&
    points.latticeJ[other] === points.latticeJ[stub] &&
    points.latticeI[other] === points.latticeI[stub]! - 1
  );
}

function squaredDistance(points: PointBuffer, a: number, b: number): number {
  const dx = points.x[b]! - points.x[a]!;
  const dy = points.y[b]! - points.y[a]!;
  return dx * dx + dy * dy;
}

/** Connected components of an undirected graph (union-find with path halving and union by size). */
export interface ComponentLabels {
  /** Component id per node (0 … count-1, by first appearance); -1 for nodes without links. */
  componentByNode: Int32Array;
  /** Node count per component id. */
  sizeByComponent: Int32Array;
  count: number;
}

export function labelComponents(nodeCount: number, from: ArrayLike<number>, to: ArrayLike<number>, edgeCount: number): ComponentLabels {
  const parent = new Int32Array(nodeCount);
  const size = new Int32Array(nodeCount).fill(1);
  const linked = new Uint8Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) parent[i] = i;
  for (let e = 0; e < edgeCount; e++) {
    const a = from[e]!;
    const b = to[e]!;
    linked[a] = 1;
    linked[b] = 1;
    let ra = findRoot(parent, a);
    let rb = findRoot(parent, b);
    if (ra === rb) continue;
    if (size[ra]! < size[rb]!) {
      const swap = ra;
      ra = rb;
      rb = swap;
    }
    parent[rb] = ra;
    size[ra]! += size[rb]!;
  }
  const componentByNode = new Int32Array(nodeCount).fill(-1);
  const idByRoot = new Int32Array(nodeCount).fill(-1);
  const sizes: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    if (!linked[i]) continue;
    const root = findRoot(parent, i);
    if (idByRoot[root] === -1) {
      idByRoot[root] = sizes.length;
      sizes.push(0);
    }
    const id = idByRoot[root]!;
    componentByNode[i] = id;
    sizes[id]!++;
  }
  return { componentByNode, sizeByComponent: Int32Array.from(sizes), count: sizes.length };
}

/** Root of i in a union-find forest, halving the path on the way. */
function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}
