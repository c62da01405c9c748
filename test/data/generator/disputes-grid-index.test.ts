// The dispute generator's grid index: point location against Turf's point-in-polygon over every grid,
// sampled points always inside (holes, islands, slivers), and areas against Turf's geodesic area.

import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
  buildGridGeometryIndex,
  findGridAt,
  pointInGrid,
  samplePointInGrid,
} from '../../../data/generator/disputes-grid-index';
import { createRng } from '../../../server/analysis/random';

const ring = (points: number[][]): number[][] => [...points, points[0]!];
const box = (x0: number, y0: number, x1: number, y1: number): number[][] => ring([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);

/**
 * Hand-made grids near Shenyang: a square with a hole, a two-island grid, a thin triangle, a triangle,
 * one filling the hole, and a 80 m wide diagonal strip that fills 2 % of its bounding box (so sampling
 * falls back to chords).
 */
const polygons: number[][][][][] = [
  [[box(123.4, 41.8, 123.42, 41.815), box(123.405, 41.805, 123.41, 41.81)]],
  [[box(123.42, 41.8, 123.425, 41.803)], [box(123.44, 41.81, 123.445, 41.814)]],
  [[ring([[123.4, 41.815], [123.44, 41.815], [123.44, 41.8151]])]],
  [[ring([[123.425, 41.8], [123.44, 41.8], [123.43, 41.81]])]],
  [[box(123.405, 41.805, 123.41, 41.81)]],
  [[ring([[123.45, 41.82], [123.451, 41.82], [123.5, 41.87], [123.499, 41.87]])]],
];

describe('grid geometry index', () => {
  const index = buildGridGeometryIndex(polygons);

  it('finds the same grid as a brute-force Turf test over all grids, for random points', () => {
    const rng = createRng(3);
    let hits = 0;
    for (let k = 0; k < 4000; k++) {
      const lng = rng.uniform(123.395, 123.5);
      const lat = rng.uniform(41.795, 41.87);
      const found = findGridAt(index, lng, lat);
      const expected = polygons.findIndex((polygon) => turf.booleanPointInPolygon([lng, lat], turf.multiPolygon(polygon)));
      expect(found, `${lng}, ${lat}`).toBe(expected);
      if (found >= 0) hits++;
    }
    expect(hits).toBeGreaterThan(150);
    expect(findGridAt(index, 100, 10)).toBe(-1);
  });

  it('treats a hole as outside its grid', () => {
    expect(pointInGrid(index, 0, 123.4075, 41.8075)).toBe(false);
    expect(pointInGrid(index, 4, 123.4075, 41.8075)).toBe(true);
    expect(findGridAt(index, 123.4075, 41.8075)).toBe(4);
  });

  it('samples points inside each grid, on both islands, even in a diagonal strip', () => {
    const rng = createRng(5);
    const point = new Float64Array(2);
    for (let g = 0; g < polygons.length; g++) {
      let east = 0;
      for (let k = 0; k < 300; k++) {
        samplePointInGrid(index, g, rng, point);
        expect(turf.booleanPointInPolygon([point[0]!, point[1]!], turf.multiPolygon(polygons[g]!)), `grid ${g}`).toBe(true);
        if (point[0]! > 123.435 && point[0]! < 123.45) east++;
      }
      if (g === 1) {
        // The islands have areas 15 : 20 (in 0.001° units), so about 57 % of the points fall on the east one.
        expect(east / 300).toBeGreaterThan(0.45);
        expect(east / 300).toBeLessThan(0.7);
      }
    }
  });

  it('computes areas within 0.5 % of Turf', () => {
    for (let g = 0; g < polygons.length; g++) {
      const expected = turf.area(turf.multiPolygon(polygons[g]!));
      expect(Math.abs(index.areaSquareMeters[g]! - expected) / expected).toBeLessThan(0.005);
    }
  });
});
