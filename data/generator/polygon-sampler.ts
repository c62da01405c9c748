// Uniform random points inside a (multi)polygon without rejection: the polygon is triangulated once
// (earcut), a triangle is drawn with probability proportional to its area, then a point inside it.

import earcut from 'earcut';
import type { Position } from 'geojson';
import type { Rng } from '../../server/analysis/random';

export interface PolygonSampler {
  /** Planar area in the coordinates' own units. */
  readonly area: number;
  /** A uniform point inside the polygon, [x, y]. */
  sample(rng: Rng): [number, number];
}

/** Triangulates MultiPolygon coordinates (planar; project first where distances matter). */
export function createPolygonSampler(polygons: readonly Position[][][]): PolygonSampler {
  const corners: number[] = []; // x0, y0, x1, y1, x2, y2 per triangle
  const cumulative: number[] = [];
  let total = 0;
  for (const polygon of polygons) {
    const flat: number[] = [];
    const holes: number[] = [];
    polygon.forEach((ring, r) => {
      if (r > 0) holes.push(flat.length / 2);
      // earcut takes open rings.
      for (let i = 0; i < ring.length - 1; i++) flat.push(ring[i]![0]!, ring[i]![1]!);
    });
    const triangles = earcut(flat, holes, 2);
    for (let t = 0; t < triangles.length; t += 3) {
      const a = triangles[t]! * 2;
      const b = triangles[t + 1]! * 2;
      const c = triangles[t + 2]! * 2;
      const area = Math.abs((flat[b]! - flat[a]!) * (flat[c + 1]! - flat[a + 1]!) - (flat[c]! - flat[a]!) * (flat[b + 1]! - flat[a + 1]!)) / 2;
      if (area === 0) continue;
      corners.push(flat[a]!, flat[a + 1]!, flat[b]!, flat[b + 1]!, flat[c]!, flat[c + 1]!);
      total += area;
      cumulative.push(total);
    }
  }
  if (cumulative.length === 0) throw new Error('cannot sample a polygon without area');
  return {
    area: total,
    sample(rng) {
      const target = rng.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! <= target) lo = mid + 1;
        else hi = mid;
      }
      let u = rng.next();
      let v = rng.next();
      if (u + v > 1) {
        u = 1 - u;
        v = 1 - v;
      }
      const k = lo * 6;
      return [
        corners[k]! + u * (corners[k + 2]! - corners[k]!) + v * (corners[k + 4]! - corners[k]!),
        corners[k + 1]! + u * (corners[k + 3]! - corners[k + 1]!) + v * (corners[k + 5]! - corners[k + 1]!),
      ];
    },
  };
}
