// Continues arterial lines across zone seams: each arterial end is joined to the best arterial node of
// another zone ahead of it (nearest within a cone, ends preferred) by the shortest path of local links
// (Dijkstra bounded by 1.5 × the straight distance), and those links are relabelled arterial.

import { CLASS_ARTERIAL, CLASS_LOCAL, type CityLinks } from './walking-network-graph';
import type { PointBuffer } from './walking-network-points';

/** Search radius for a join, in multiples of the end's block scale. */
const JOIN_RADIUS_SCALE = 2.5;
/** Smallest cosine between the line's direction and the way to a join target (about 37°). */
const JOIN_MIN_COSINE = 0.8;
const GRID_CELL_METERS = 250;

/** Relabels local links so that arterials continue through zone seams; returns the number of joins. */
export function joinArterialsAcrossSeams(points: PointBuffer, links: CityLinks): number {
  const n = points.count;
  const m = links.count;
  // CSR adjacency with link ids.
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    offsets[links.from[e]! + 1]!++;
    offsets[links.to[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const neighbour = new Int32Array(offsets[n]!);
  const linkOf = new Int32Array(offsets[n]!);
  const arterialDegree = new Int32Array(n);
  for (let e = 0; e < m; e++) {
    const a = links.from[e]!;
    const b = links.to[e]!;
    neighbour[fill[a]!] = b;
    linkOf[fill[a]!++] = e;
    neighbour[fill[b]!] = a;
    linkOf[fill[b]!++] = e;
    if (links.edgeClass[e] === CLASS_ARTERIAL) {
      arterialDegree[a]!++;
      arterialDegree[b]!++;
    }
  }

  // Grid over arterial nodes.
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (arterialDegree[i] === 0) continue;
    minX = Math.min(minX, points.x[i]!);
    minY = Math.min(minY, points.y[i]!);
    maxX = Math.max(maxX, points.x[i]!);
    maxY = Math.max(maxY, points.y[i]!);
  }
  if (minX > maxX) return 0;
  const columns = Math.floor((maxX - minX) / GRID_CELL_METERS) + 1;
  const rows = Math.floor((maxY - minY) / GRID_CELL_METERS) + 1;
  const cellStart = new Int32Array(columns * rows + 1);
  const cellByNode = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (arterialDegree[i] === 0) continue;
    cellByNode[i] =
      Math.floor((points.y[i]! - minY) / GRID_CELL_METERS) * columns + Math.floor((points.x[i]! - minX) / GRID_CELL_METERS);
    cellStart[cellByNode[i]! + 1]!++;
  }
  for (let c = 0; c < columns * rows; c++) cellStart[c + 1]! += cellStart[c]!;
  const cellFill = cellStart.slice(0, columns * rows);
  const cellNodes = new Int32Array(cellStart[columns * rows]!);
  for (let i = 0; i < n; i++) if (arterialDegree[i]! > 0) cellNodes[cellFill[cellByNode[i]!]!++] = i;

  // Bounded Dijkstra state, reset through the list of touched nodes.
  const distance = new Float64Array(n).fill(Infinity);
  const viaLink = new Int32Array(n).fill(-1);
  const touched: number[] = [];
  const heap = new MinHeap();
  const joined = new Uint8Array(n);
  let joins = 0;

  for (let end = 0; end < n; end++) {
    if (arterialDegree[end] !== 1 || joined[end]) continue;
    // The line's direction: from its one arterial neighbour towards the end.
    let previous = -1;
    for (let k = offsets[end]!; k < offsets[end + 1]!; k++) {
      if (links.edgeClass[linkOf[k]!] === CLASS_ARTERIAL) previous = neighbour[k]!;
    }
    let dx = points.x[end]! - points.x[previous]!;
    let dy = points.y[end]! - points.y[previous]!;
    const norm = Math.hypot(dx, dy);
    dx /= norm;
    dy /= norm;
    const radius = JOIN_RADIUS_SCALE * points.scaleMeters[end]!;
    const zone = points.zone[end]!;
    let target = -1;
    let targetDistance = 0;
    let bestScore = Infinity;
    const c0 = Math.max(0, Math.floor((points.x[end]! - radius - minX) / GRID_CELL_METERS));
    const c1 = Math.min(columns - 1, Math.floor((points.x[end]! + radius - minX) / GRID_CELL_METERS));
    const r0 = Math.max(0, Math.floor((points.y[end]! - radius - minY) / GRID_CELL_METERS));
    const r1 = Math.min(rows - 1, Math.floor((points.y[end]! + radius - minY) / GRID_CELL_METERS));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        for (let k = cellStart[r * columns + c]!; k < cellStart[r * columns + c + 1]!; k++) {
          const candidate = cellNodes[k]!;
          if (points.zone[candidate] === zone) continue;
          const vx = points.x[candidate]! - points.x[end]!;
          const vy = points.y[candidate]! - points.y[end]!;
          const d = Math.hypot(vx, vy);
          if (d === 0 || d > radius) continue;
          const cosine = (vx * dx + vy * dy) / d;
          if (cosine < JOIN_MIN_COSINE) continue;
          const score = d * (1 + 3 * (1 - cosine)) * (arterialDegree[candidate] === 1 ? 0.7 : 1);
          if (score < bestScore) {
            bestScore = score;
            target = candidate;
            targetDistance = d;
          }
        }
      }
    }
    if (target < 0) continue;

    // Shortest path over local links (and arterials), bounded in length.
    const bound = 1.5 * targetDistance + 50;
    distance[end] = 0;
    touched.push(end);
    heap.push(end, 0);
    while (heap.size > 0) {
      const node = heap.pop();
      const reached = distance[node]!;
      if (node === target) break;
      for (let k = offsets[node]!; k < offsets[node + 1]!; k++) {
        const link = linkOf[k]!;
        const linkClass = links.edgeClass[link]!;
        if (linkClass !== CLASS_LOCAL && linkClass !== CLASS_ARTERIAL) continue;
        const next = neighbour[k]!;
        const length = Math.hypot(points.x[next]! - points.x[node]!, points.y[next]! - points.y[node]!);
        const candidate = reached + length;
        if (candidate > bound || candidate >= distance[next]!) continue;
        if (distance[next] === Infinity) touched.push(next);
        distance[next] = candidate;
        viaLink[next] = link;
        heap.push(next, candidate);
      }
    }
    if (distance[target] !== Infinity) {
      let node = target;
      while (node !== end) {
        const link = viaLink[node]!;
        links.edgeClass[link] = CLASS_ARTERIAL;
        node = links.from[link] === node ? links.to[link]! : links.from[link]!;
      }
      joined[end] = 1;
      if (arterialDegree[target] === 1) joined[target] = 1;
      joins++;
    }
    for (const node of touched) {
      distance[node] = Infinity;
      viaLink[node] = -1;
    }
    touched.length = 0;
    heap.clear();
  }
  return joins;
}

/** Binary min-heap of (node, key) on parallel growable arrays. */
class MinHeap {
  private nodes = new Int32Array(256);
  private keys = new Float64Array(256);
  size = 0;

  push(node: number, key: number): void {
    if (this.size === this.nodes.length) {
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.nodes[i] = this.nodes[parent]!;
      this.keys[i] = this.keys[parent]!;
      i = parent;
    }
    this.nodes[i] = node;
    this.keys[i] = key;
  }

  /** Removes and returns the node with the smallest key. */
  pop(): number {
    const top = this.nodes[0]!;
    const lastNode = this.nodes[--this.size]!;
    const lastKey = this.keys[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= lastKey) break;
      this.nodes[i] = this.nodes[child]!;
      this.keys[i] = this.keys[child]!;
      i = child;
    }
    this.nodes[i] = lastNode;
    this.keys[i] = lastKey;
    return top;
  }

  clear(): void {
    this.size = 0;
  }
}
