// Test helpers for coverage: point-in-polygon on lon/lat MultiPolygons (even-odd over every ring) and a
// jittered street grid (the shape of the generated city networks) with seeded deletions.

import type { Rng } from '../../../../server/analysis/random';
import { DIRECTION_BOTH, type RoadEdgeList } from '../../../../server/analysis/network/road-graph';
import { haversineMeters } from '../../../../server/analysis/network/polyline-network';

/** Whether [lng, lat] lies inside a MultiPolygon (holes excluded; boundary either way). */
export function insideMultiPolygon(coordinates: number[][][][], lng: number, lat: number): boolean {
  let inside = false;
  for (const polygon of coordinates) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi! > lat !== yj! > lat && lng < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * A street grid of `size` × `size` nodes `spacingMeters` apart near Shenyang (41.8° N), each node
 * jittered by up to a fifth of the spacing, a share of the links dropped at random. Lengths are
 * great-circle metres of the straight links.
 */
export function streetGrid(rng: Rng, size: number, spacingMeters: number, dropShare: number): RoadEdgeList {
  const metersPerDegreeLat = 111_050;
  const metersPerDegreeLng = 83_000;
  const nodeLngLat = new Float64Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const n = r * size + c;
      nodeLngLat[n * 2] = 123.4 + (c * spacingMeters + rng.uniform(-0.2, 0.2) * spacingMeters) / metersPerDegreeLng;
      nodeLngLat[n * 2 + 1] = 41.8 + (r * spacingMeters + rng.uniform(-0.2, 0.2) * spacingMeters) / metersPerDegreeLat;
    }
  }
  const from: number[] = [];
  const to: number[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const n = r * size + c;
      if (c + 1 < size && !rng.chance(dropShare)) {
        from.push(n);
        to.push(n + 1);
      }
      if (r + 1 < size && !rng.chance(dropShare)) {
        from.push(n);
        to.push(n + size);
      }
    }
  }
  const edgeLengthMeters = Float64Array.from(from, (a, e) =>
    haversineMeters(nodeLngLat[a * 2]!, nodeLngLat[a * 2 + 1]!, nodeLngLat[to[e]! * 2]!, nodeLngLat[to[e]! * 2 + 1]!),
  );
  return {
    nodeLngLat,
    edgeFrom: Uint32Array.from(from),
    edgeTo: Uint32Array.from(to),
    edgeLengthMeters,
    edgeDirection: new Uint8Array(from.length).fill(DIRECTION_BOTH),
  };
}
