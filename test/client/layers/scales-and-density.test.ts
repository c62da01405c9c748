// Colour scales (quantile breaks, classes, palette spread, coverage-rate classes, hot spot classes), the
// kernel density raster against a naive evaluation of the quartic kernel, and the arrays the hot spot
// hook derives from hotspots.cells.

import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { HotspotCellProperties } from '../../../client/src/api-types';
import { SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks } from '../../../client/src/layers/color-scales';
import { RATE_PALETTES, rateClass, rateColor } from '../../../client/src/layers/coverage-colors';
import { HOTSPOT_CLASS_COLORS, hotspotClassColor } from '../../../client/src/layers/hotspot-colors';
import { hotspotCellArrays } from '../../../client/src/layers/hotspot-cell-arrays';
import { computeKernelDensityGrid, ringCentroids } from '../../../client/src/layers/kernel-density-grid';
import { hotspotCell, square } from './fixtures';

describe('quantile classes', () => {
  it('splits values into classes of equal size, ignoring non-finite values', () => {
    expect(quantileBreaks([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, NaN, Infinity], 5)).toEqual([2, 4, 6, 8, 10]);
    expect(quantileBreaks([], 5)).toEqual([]);
  });

  it('merges classes whose limits coincide', () => {
    expect(quantileBreaks([1, 1, 1, 1, 5], 3)).toEqual([1, 5]);
  });

  it('puts a value in the first class whose limit holds it, beyond the last in the last', () => {
    const breaks = [2, 4, 6];
    expect([1, 2, 3, 4, 6, 7].map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('spreads the classes over the whole ramp, a single class in its middle', () => {
    const palette = SEQUENTIAL_PALETTES.light;
    expect([0, 1, 2, 3, 4].map((k) => classColor(palette, k, 5))).toEqual([palette[0], palette[2], palette[3], palette[5], palette[6]]);
    expect(classColor(palette, 0, 1)).toEqual(palette[3]);
  });
});

describe('coverage-rate and hot spot colours', () => {
  it('classes rates at fixed limits: a limit belongs to the class above it, 100 % to the top class', () => {
    expect([0, 0.4999, 0.5, 0.7, 0.85, 0.95, 1].map(rateClass)).toEqual([0, 0, 1, 2, 3, 4, 4]);
    expect(rateColor(0.6, 'dark')).toEqual(RATE_PALETTES.dark[1]);
    expect(rateColor(null, 'light')).toBeNull();
  });

  it('colours hot spot classes by theme and leaves unknown classes transparent', () => {
    expect(hotspotClassColor('light', -3)).toEqual(HOTSPOT_CLASS_COLORS.light[-3]);
    expect(hotspotClassColor('dark', 4)).toEqual([0, 0, 0, 0]);
  });
});

/** A seeded linear congruential generator (Numerical Recipes constants) in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('computeKernelDensityGrid', () => {
  it('spreads one point\'s weight over the raster: the cells sum to the weight, the peak lies on the point', () => {
    const grid = computeKernelDensityGrid([123.4, 41.8], [2], { bandwidthMeters: 1000, cellMeters: 50 });
    const cellSquareKm = (50 / 1000) ** 2;
    const total = grid.densityPerSquareKm.reduce((sum, d) => sum + d, 0) * cellSquareKm;
    expect(total).toBeCloseTo(2, 2);
    // The quartic kernel's peak: w · 3/(π h²) per m², here per km².
    expect(grid.maxDensityPerSquareKm).toBeCloseTo((2 * 3) / (Math.PI * 1000 ** 2) * 1e6, 1);
    const peak = grid.densityPerSquareKm.indexOf(grid.maxDensityPerSquareKm);
    const [west, south, east, north] = grid.bounds;
    const lng = west + ((peak % grid.width) + 0.5) * ((east - west) / grid.width);
    const lat = north - (Math.floor(peak / grid.width) + 0.5) * ((north - south) / grid.height);
    expect(Math.abs(lng - 123.4)).toBeLessThan(0.001);
    expect(Math.abs(lat - 41.8)).toBeLessThan(0.001);
    // The raster reaches a bandwidth beyond the point on every side.
    expect(west).toBeLessThan(123.4 - 0.011);
    expect(north).toBeGreaterThan(41.8 + 0.0089);
  });

  it('equals a naive evaluation of the kernel at every cell centre (row 0 at the north edge)', () => {
    const next = random(7);
    const count = 25;
    const lngLat = new Float64Array(2 * count);
    const weights = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      lngLat[2 * i] = 123.3 + 0.08 * next();
      lngLat[2 * i + 1] = 41.75 + 0.06 * next();
      weights[i] = 1 + Math.floor(5 * next());
    }
    const h = 1500;
    const grid = computeKernelDensityGrid(lngLat, weights, { bandwidthMeters: h, cellMeters: 250 });
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (let i = 0; i < count; i++) {
      minLat = Math.min(minLat, lngLat[2 * i + 1]!);
      maxLat = Math.max(maxLat, lngLat[2 * i + 1]!);
    }
    const ky = 111_320;
    const kx = ky * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    const [west, south, east, north] = grid.bounds;
    let worst = 0;
    for (let row = 0; row < grid.height; row++) {
      for (let col = 0; col < grid.width; col++) {
        const lng = west + (col + 0.5) * ((east - west) / grid.width);
        const lat = north - (row + 0.5) * ((north - south) / grid.height);
        let density = 0;
        for (let i = 0; i < count; i++) {
          const dx = (lng - lngLat[2 * i]!) * kx;
          const dy = (lat - lngLat[2 * i + 1]!) * ky;
          const u = (dx * dx + dy * dy) / (h * h);
          if (u < 1) density += weights[i]! * (3 / (Math.PI * h * h)) * (1 - u) ** 2 * 1e6;
        }
        worst = Math.max(worst, Math.abs(density - grid.densityPerSquareKm[row * grid.width + col]!));
      }
    }
    expect(grid.maxDensityPerSquareKm).toBeGreaterThan(1);
    expect(worst / grid.maxDensityPerSquareKm).toBeLessThan(1e-4);
  });

  it('answers an empty raster for no points', () => {
    const grid = computeKernelDensityGrid([], [], { bandwidthMeters: 1000, cellMeters: 100 });
    expect([grid.width, grid.height, grid.densityPerSquareKm.length, grid.maxDensityPerSquareKm]).toEqual([0, 0, 0, 0]);
  });

  it('coarsens the cells to stay under maxCells', () => {
    const grid = computeKernelDensityGrid([123, 41, 124, 42], [1, 1], { bandwidthMeters: 1000, cellMeters: 10, maxCells: 10_000 });
    expect(grid.width * grid.height).toBeLessThanOrEqual(10_000 * 1.05);
  });
});

describe('ring centroids and hot spot cell arrays', () => {
  it('averages a ring\'s vertices without its closing vertex', () => {
    const ring = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    expect([...ringCentroids([ring, [[1, 1], [4, 1], [1, 4], [1, 1]]])]).toEqual([1, 1, 2, 2]);
  });

  it('aligns classes, counts and centroids with the answer\'s features, Polygon or MultiPolygon', () => {
    const multi: Feature<MultiPolygon, HotspotCellProperties> = { ...hotspotCell('m', -1, 4), geometry: square(10, 20, 2) };
    const data: FeatureCollection<Polygon | MultiPolygon, HotspotCellProperties> = {
      type: 'FeatureCollection',
      features: [hotspotCell('a', 3, 17, 0, 0), multi],
    };
    const arrays = hotspotCellArrays(data);
    expect([...arrays.classes]).toEqual([3, -1]);
    expect([...arrays.counts]).toEqual([17, 4]);
    expect(arrays.centroids[0]).toBeCloseTo(0.005, 12);
    expect(arrays.centroids[1]).toBeCloseTo(0.005, 12);
    expect([arrays.centroids[2], arrays.centroids[3]]).toEqual([11, 21]);
  });
});
