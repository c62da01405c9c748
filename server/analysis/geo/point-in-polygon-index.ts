// Point-in-polygon queries against one (multi)polygon in O(edges per slab): the edges are bucketed
// into horizontal slabs once, and a query casts its ray only through the edges of its own slab.

import type { Position } from 'geojson';

export interface PointInPolygonIndex {
  /** [minX, minY, maxX, maxY] of the polygon. */
  readonly bbox: [number, number, number, number];
  /** Even-odd test; points exactly on an edge may fall either way. */
  contains(x: number, y: number): boolean;
}

/**
 * Indexes MultiPolygon coordinates (any orientation, holes included) for repeated containment tests.
 * `slabCount` defaults to about one slab per 8 edges (at most 4,096).
 */
export function createPointInPolygonIndex(polygons: readonly Position[][][], slabCount?: number): PointInPolygonIndex {
  let edgeCount = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      edgeCount += Math.max(0, ring.length - 1);
      for (const p of ring) {
        if (p[0]! < minX) minX = p[0]!;
        if (p[0]! > maxX) maxX = p[0]!;
        if (p[1]! < minY) minY = p[1]!;
        if (p[1]! > maxY) maxY = p[1]!;
      }
    }
  }
  const slabs = Math.max(1, Math.min(4096, slabCount ?? Math.ceil(edgeCount / 8)));
  const slabHeight = (maxY - minY) / slabs || 1;
  // Edges as flat arrays x0, y0, x1, y1; per slab a list of edge indices (CSR).
  const edges = new Float64Array(edgeCount * 4);
  const slabOf = (y: number): number => Math.min(slabs - 1, Math.max(0, Math.floor((y - minY) / slabHeight)));
  const counts = new Uint32Array(slabs + 1);
  let e = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        edges[e * 4] = a[0]!;
        edges[e * 4 + 1] = a[1]!;
        edges[e * 4 + 2] = b[0]!;
        edges[e * 4 + 3] = b[1]!;
        const s0 = slabOf(Math.min(a[1]!, b[1]!));
        const s1 = slabOf(Math.max(a[1]!, b[1]!));
        for (let s = s0; s <= s1; s++) counts[s + 1]! += 1;
        e++;
      }
    }
  }
  for (let s = 0; s < slabs; s++) counts[s + 1]! += counts[s]!;
  const members = new Uint32Array(counts[slabs]!);
  const fill = counts.slice(0, slabs);
  for (let i = 0; i < edgeCount; i++) {
    const s0 = slabOf(Math.min(edges[i * 4 + 1]!, edges[i * 4 + 3]!));
    const s1 = slabOf(Math.max(edges[i * 4 + 1]!, edges[i * 4 + 3]!));
    for (let s = s0; s <= s1; s++) members[fill[s]!++] = i;
  }
  return {
    bbox: [minX, minY, maxX, maxY],
    contains(x, y) {
      if (x < minX || x > maxX || y < minY || y > maxY) return false;
      const s = slabOf(y);
      let inside = false;
      for (let k = counts[s]!, end = counts[s + 1]!; k < end; k++) {
        const i = members[k]! * 4;
        const y0 = edges[i + 1]!;
        const y1 = edges[i + 3]!;
        if (y0 > y !== y1 > y) {
          const x0 = edges[i]!;
          const x1 = edges[i + 2]!;
          if (x < ((x1 - x0) * (y - y0)) / (y1 - y0) + x0) inside = !inside;
        }
      }
      return inside;
    },
  };
}
