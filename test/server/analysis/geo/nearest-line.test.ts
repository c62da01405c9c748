// The nearest line within a reach against a brute force over every segment of every line (random
// polylines and points), the degenerate cases, the side across a line by codes, and the other side of
// hand-made street lines in degrees: near, too far, and the nearest line not being the place's street's.

import { describe, expect, it } from 'vitest';
import type { LineString } from 'geojson';
import { createRng } from '../../../../server/analysis/random';
import { createLocalProjection } from '../../../../server/analysis/geo/local-projection';
import { nearestLineWithin, otherSideCodes, sideAcross, type BoundarySides, type PlanarLine } from '../../../../server/analysis/geo/nearest-line';

/** Distance from p to segment a–b, written independently (projection parameter clamped via dot products). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const abx = bx - ax;
  const aby = by - ay;
  const apx = px - ax;
  const apy = py - ay;
  const dot = apx * abx + apy * aby;
  if (dot <= 0) return Math.hypot(apx, apy);
  const length2 = abx * abx + aby * aby;
  if (dot >= length2) return Math.hypot(px - bx, py - by);
  // Perpendicular distance by the cross product.
  return Math.abs(apx * aby - apy * abx) / Math.sqrt(length2);
}

function bruteForce(lines: readonly PlanarLine[], points: Float64Array, reach: number): { line: number; distance: number }[] {
  const out: { line: number; distance: number }[] = [];
  for (let p = 0; p < points.length / 2; p++) {
    let best = { line: -1, distance: Infinity };
    lines.forEach((line, l) => {
      for (const part of line.partsXY) {
        const n = part.length / 2;
        for (let v = 0; v < Math.max(1, n - 1); v++) {
          const w = Math.min(v + 1, n - 1);
          const d = segmentDistance(points[2 * p]!, points[2 * p + 1]!, part[2 * v]!, part[2 * v + 1]!, part[2 * w]!, part[2 * w + 1]!);
          if (d <= reach && d < best.distance) best = { line: l, distance: d };
        }
      }
    });
    out.push(best);
  }
  return out;
}

/** A random polyline of `vertices` vertices wandering from a random start in a square of `size` metres. */
function randomLine(rng: ReturnType<typeof createRng>, size: number, parts: number): PlanarLine {
  return {
    partsXY: Array.from({ length: parts }, () => {
      const vertices = rng.int(1, 12);
      const xy = new Float64Array(2 * vertices);
      let x = rng.uniform(0, size);
      let y = rng.uniform(0, size);
      for (let v = 0; v < vertices; v++) {
        xy[2 * v] = x;
        xy[2 * v + 1] = y;
        x += rng.normal(0, size / 20);
        y += rng.normal(0, size / 20);
      }
      return xy;
    }),
  };
}

describe('nearestLineWithin', () => {
  it('finds the same line and distance as a brute force over every segment (random lines and points)', () => {
    const rng = createRng(14);
    for (let trial = 0; trial < 12; trial++) {
      const size = 10_000;
      const lines = Array.from({ length: rng.int(1, 40) }, () => randomLine(rng, size, rng.int(1, 3)));
      const pointCount = rng.int(1, 2_000);
      const points = new Float64Array(2 * pointCount);
      for (let i = 0; i < points.length; i++) points[i] = rng.uniform(-1_000, size + 1_000);
      const reach = rng.pick([0, 50, 500, 1_500]);
      const distances = new Float64Array(pointCount);
      const nearest = nearestLineWithin(lines, points, reach, distances);
      const expected = bruteForce(lines, points, reach);
      let found = 0;
      for (let p = 0; p < pointCount; p++) {
        const want = expected[p]!;
        if (want.line === -1) {
          expect(nearest[p]).toBe(-1);
          expect(distances[p]).toBe(Infinity);
          continue;
        }
        found++;
        expect(distances[p]).toBeCloseTo(want.distance, 6);
        // Equal distances (to 1 µm) may pick either line; otherwise the very line.
        if (nearest[p] !== want.line) {
          const other = bruteForce([lines[nearest[p]!]!], points.subarray(2 * p, 2 * p + 2), reach)[0]!;
          expect(Math.abs(other.distance - want.distance)).toBeLessThan(1e-6);
        }
      }
      if (reach >= 500) expect(found).toBeGreaterThan(0);
    }
  });

  it('handles no points, no lines, a point-like part, the reach bound itself and ties', () => {
    const line = { partsXY: [Float64Array.from([0, 0, 1000, 0])] };
    expect(nearestLineWithin([line], new Float64Array(0), 500)).toEqual(new Int32Array(0));
    expect(nearestLineWithin([], Float64Array.from([1, 1]), 500)).toEqual(Int32Array.from([-1]));
    const dot = { partsXY: [Float64Array.from([5000, 5000])] };
    const points = Float64Array.from([5000, 5300, 500, 500, 500, 500.001, 1200, 0]);
    const distances = new Float64Array(4);
    expect(nearestLineWithin([line, dot], points, 500, distances)).toEqual(Int32Array.from([1, 0, -1, 0]));
    expect([...distances]).toEqual([300, 500, Infinity, 200]);
    // Two identical lines: the lower index.
    expect(nearestLineWithin([dot, line, line], Float64Array.from([10, 10]), 500)).toEqual(Int32Array.from([1]));
  });
});

describe('sideAcross', () => {
  it('names the side that does not hold the place, and null when neither or both do or on an outer edge', () => {
    expect(sideAcross('210102001001001', '210102001', '210102002')).toBe('210102002');
    expect(sideAcross('210102002001001', '210102001', '210102002')).toBe('210102001');
    expect(sideAcross('210102003001001', '210102001', '210102002')).toBeNull();
    expect(sideAcross('210102001001001', '210102001', null)).toBeNull();
    // A place known only to its county: a line from one of its streets to another county's.
    expect(sideAcross('210102', '210102001', '210103004')).toBe('210103004');
    expect(sideAcross('210102', '210102001', '210102002')).toBeNull();
  });
});

describe('otherSideCodes', () => {
  // Streets A | B along the meridian 123.4° E from 41.70° to 41.80° N, and B | C along the parallel 41.80° N
  // east of it; a stray line C | D 300 m west of the meridian (between streets A is not part of).
  const projection = createLocalProjection(123.4, 41.75);
  const east = (meters: number) => meters / projection.metersPerDegreeLng;
  const north = (meters: number) => meters / projection.metersPerDegreeLat;
  const line = (leftCode: string, rightCode: string | null, coordinates: [number, number][]): BoundarySides => ({
    leftCode,
    rightCode,
    geometry: { type: 'LineString', coordinates } satisfies LineString,
  });
  const A = '210102001';
  const B = '210102002';
  const C = '210103001';
  const D = '210103002';
  const lines = [
    line(A, B, [
      [123.4, 41.7],
      [123.4, 41.75],
      [123.4, 41.8],
    ]),
    line(B, C, [
      [123.4, 41.8],
      [123.5, 41.8],
    ]),
    line(C, D, [
      [123.4 - east(300), 41.72],
      [123.4 - east(300), 41.78],
    ]),
    line(A, null, [
      [123.3, 41.7],
      [123.3, 41.8],
    ]),
  ];
  const places: { lngLat: [number, number]; code: string; expected: string | null; why: string }[] = [
    { lngLat: [123.4 - east(100), 41.75], code: `${A}001001`, expected: B, why: '100 m west of A | B, in A' },
    { lngLat: [123.4 + east(100), 41.75], code: `${B}001001`, expected: A, why: '100 m east of A | B, in B' },
    { lngLat: [123.4 - east(800), 41.75], code: `${A}001001`, expected: null, why: '800 m from A | B' },
    { lngLat: [123.4 - east(499), 41.71], code: `${A}001001`, expected: B, why: 'just inside the reach' },
    { lngLat: [123.4 - east(501), 41.71], code: `${A}001001`, expected: null, why: 'just beyond the reach' },
    // Nearer to C | D (100 m) than to A | B (200 m), but A is on neither side of C | D.
    { lngLat: [123.4 - east(200), 41.75], code: `${A}001001`, expected: B, why: 'the nearest line is not its street’s' },
    { lngLat: [123.45, 41.8 + north(50)], code: `${C}002001`, expected: B, why: '50 m north of B | C, in C' },
    { lngLat: [123.45, 41.8 - north(50)], code: `${B}002001`, expected: C, why: '50 m south of B | C, in B' },
    { lngLat: [123.3 + east(10), 41.75], code: `${A}003001`, expected: null, why: 'beside the outer edge only' },
    { lngLat: [123.45, 41.75], code: `${B}004001`, expected: null, why: 'inside B, far from every line' },
  ];

  it('gives each place the street across the nearest line of its street within the reach', () => {
    const lngLat = places.flatMap((place) => place.lngLat);
    const codes = places.map((place) => place.code);
    const result = otherSideCodes(lines, lngLat, codes, 500);
    expect(places.map((place, i) => `${place.why}: ${result[i]}`)).toEqual(places.map((place) => `${place.why}: ${place.expected}`));
    // One place at a time gives the same.
    places.forEach((place) => expect(otherSideCodes(lines, place.lngLat, [place.code], 500)[0]).toBe(place.expected));
    expect(otherSideCodes([], lngLat, codes, 500).every((code) => code === null)).toBe(true);
  });
});
