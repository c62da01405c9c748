// H3 helpers against h3-js itself: cell keys, parents by bit arithmetic, polyfill, k-ring weights, counts.

import { cellArea, cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  binPointsToH3,
  buildH3KRingWeights,
  countByCell,
  createH3CellSet,
  h3IndexToKey,
  h3KeyToIndex,
  parentKeys,
  polyfillH3,
} from '../../../../server/analysis/hotspots/h3-cells';
import { isSymmetric } from '../../../../server/analysis/hotspots/spatial-weights';

// Around Shenyang, and the whole globe for the bit arithmetic.
const shenyangPoint = fc.tuple(fc.double({ min: 122.4, max: 123.8, noNaN: true }), fc.double({ min: 41.2, max: 43, noNaN: true }));
const anyPoint = fc.tuple(fc.double({ min: -179.9, max: 179.9, noNaN: true }), fc.double({ min: -85, max: 85, noNaN: true }));

describe('H3 cell keys', () => {
  it('bin points exactly as latLngToCell and round-trip to the index', () => {
    fc.assert(
      fc.property(fc.array(shenyangPoint, { minLength: 1, maxLength: 50 }), fc.constantFrom(7, 8, 9), (points, resolution) => {
        const keys = binPointsToH3(points.flat(), resolution);
        points.forEach(([lng, lat], i) => {
          const index = latLngToCell(lat, lng, resolution);
          expect(h3KeyToIndex(keys[i]!, resolution)).toBe(index);
          expect(h3IndexToKey(index)).toBe(keys[i]);
        });
      }),
      { seed: 11, numRuns: 50 },
    );
  });

  it('derive parents by bit arithmetic exactly as cellToParent, anywhere on the globe', () => {
    fc.assert(
      fc.property(anyPoint, fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 15 }), ([lng, lat], a, b) => {
        const [child, parent] = a >= b ? [a, b] : [b, a];
        const cell = latLngToCell(lat, lng, child);
        const [key] = parentKeys([h3IndexToKey(cell)], child, parent);
        expect(h3KeyToIndex(key!, parent)).toBe(cellToParent(cell, parent));
      }),
      { seed: 12, numRuns: 400 },
    );
  });
});

describe('H3 study areas', () => {
  const square = { type: 'Polygon' as const, coordinates: [[[123.3, 41.7], [123.5, 41.7], [123.5, 41.85], [123.3, 41.85], [123.3, 41.7]]] };

  it('polyfill a polygon and build symmetric k-ring weights with six neighbours inside', () => {
    const cells = createH3CellSet(8, polyfillH3([square], 8));
    // 0.2° × 0.15° ≈ 16.6 km × 16.7 km ≈ 277 km² over 0.496 km² per cell there (H3 cells at 42° N are
    // smaller than the 0.737 km² world average of resolution 8).
    const cellKm2 = cellArea(latLngToCell(41.775, 123.4, 8), 'km2');
    expect(cellKm2).toBeCloseTo(0.496, 2);
    expect(cells.keys.length).toBeGreaterThan((0.95 * 277) / cellKm2);
    expect(cells.keys.length).toBeLessThan((1.05 * 277) / cellKm2);
    const w = buildH3KRingWeights(cells, 1);
    expect(isSymmetric(w)).toBe(true);
    const centre = h3IndexToKey(latLngToCell(41.775, 123.4, 8));
    const i = cells.indexByKey.get(centre)!;
    expect(w.offsets[i + 1]! - w.offsets[i]!).toBe(6);
    const expected = gridDisk(h3KeyToIndex(centre, 8), 1)
      .filter((index) => index !== h3KeyToIndex(centre, 8))
      .map((index) => cells.indexByKey.get(h3IndexToKey(index)))
      .sort((a, b) => a! - b!);
    expect(Array.from(w.neighbors.subarray(w.offsets[i]!, w.offsets[i + 1]!))).toEqual(expected);
    const k2 = buildH3KRingWeights(cells, 2);
    expect(k2.offsets[i + 1]! - k2.offsets[i]!).toBe(18);
  });

  it('count points per cell, and those outside the set', () => {
    const cells = createH3CellSet(8, polyfillH3([square], 8));
    const lngLat = [123.4, 41.775, 123.40001, 41.77501, 120, 40];
    const { counts, outside } = countByCell(cells, binPointsToH3(lngLat, 8));
    expect(outside).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(counts[cells.indexByKey.get(h3IndexToKey(latLngToCell(41.775, 123.4, 8)))!]).toBe(2);
  });
});
