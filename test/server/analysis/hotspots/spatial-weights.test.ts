// Sparse weights: CSR from lists and pairs, row standardisation, self weights, Cliff-Ord sums against a
// dense O(n²) computation, GAL parsing, contiguity and distance weights against brute force.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildContiguityWeights } from '../../../../server/analysis/hotspots/contiguity-weights';
import { buildDistanceBandWeights, buildKNearestWeights } from '../../../../server/analysis/hotspots/distance-weights';
import {
  computeWeightSums,
  findWeight,
  isSymmetric,
  parseGalWeights,
  rowStandardizeWeights,
  spatialLag,
  weightsFromNeighborLists,
  weightsFromPairs,
  withSelfWeights,
  withoutSelfWeights,
  type SpatialWeights,
} from '../../../../server/analysis/hotspots/spatial-weights';

/** Dense matrix of sparse weights (tests only). */
export function denseOf(w: SpatialWeights): number[][] {
  const dense = Array.from({ length: w.n }, () => new Array<number>(w.n).fill(0));
  for (let i = 0; i < w.n; i++) for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) dense[i]![w.neighbors[e]!] = w.weights[e]!;
  return dense;
}

const neighborsOf = (w: SpatialWeights, i: number) => Array.from(w.neighbors.subarray(w.offsets[i]!, w.offsets[i + 1]!));

describe('CSR weights', () => {
  it('builds sorted, deduplicated rows without self pairs from lists and from pairs', () => {
    const fromLists = weightsFromNeighborLists([[2, 1, 1, 0], [0], [0, 3], [2]]);
    expect(Array.from(fromLists.offsets)).toEqual([0, 2, 3, 5, 6]);
    expect([0, 1, 2, 3].map((i) => neighborsOf(fromLists, i))).toEqual([[1, 2], [0], [0, 3], [2]]);
    const fromPairs = weightsFromPairs(4, [2, 0, 0, 1, 2, 3, 0, 3], [0, 2, 1, 0, 3, 2, 1, 3]);
    expect(fromPairs).toEqual(fromLists);
    expect(isSymmetric(fromLists)).toBe(true);
    expect(() => weightsFromNeighborLists([[5]])).toThrow(/outside/);
  });

  it('row-standardises, adds and removes self weights', () => {
    const w = weightsFromNeighborLists([[1, 2], [0], [0]]);
    const r = rowStandardizeWeights(w);
    expect(denseOf(r)).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    const star = withSelfWeights(w, 1);
    expect(denseOf(star)).toEqual([
      [1, 1, 1],
      [1, 1, 0],
      [1, 0, 1],
    ]);
    expect(neighborsOf(star, 1)).toEqual([0, 1]);
    expect(withoutSelfWeights(star)).toEqual(w);
    expect(findWeight(star, 2, 2)).toBe(1);
    expect(findWeight(star, 1, 2)).toBe(0);
    expect(Array.from(spatialLag(w, [1, 10, 100]))).toEqual([110, 1, 1]);
  });

  it('computes S0, S1, S2 as the dense definitions do, for asymmetric weights with self entries', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(7), fc.nat(7), fc.double({ min: 0.1, max: 3, noNaN: true })), { maxLength: 40 }), (entries) => {
        const n = 8;
        const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
        for (const [i, j, value] of entries) dense[i]![j] = value;
        const lists = dense.map((row) => row.map((value, j) => (value !== 0 ? j : -1)).filter((j) => j >= 0));
        const offsets = new Uint32Array(n + 1);
        lists.forEach((list, i) => (offsets[i + 1] = offsets[i]! + list.length));
        const w: SpatialWeights = {
          n,
          offsets,
          neighbors: Uint32Array.from(lists.flat()),
          weights: Float64Array.from(lists.flatMap((list, i) => list.map((j) => dense[i]![j]!))),
        };
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        for (let i = 0; i < n; i++) {
          let row = 0;
          let col = 0;
          for (let j = 0; j < n; j++) {
            s0 += dense[i]![j]!;
            s1 += 0.5 * (dense[i]![j]! + dense[j]![i]!) ** 2;
            row += dense[i]![j]!;
            col += dense[j]![i]!;
          }
          s2 += (row + col) ** 2;
        }
        const sums = computeWeightSums(w);
        expect(sums.s0).toBeCloseTo(s0, 9);
        expect(sums.s1).toBeCloseTo(s1, 9);
        expect(sums.s2).toBeCloseTo(s2, 9);
      }),
    );
  });

  it('parses GAL files with positional and keyed ids', () => {
    const text = '0 3 example ID\n30 2\n10 20\n10 1\n30\n20 1\n30\n';
    const keyed = parseGalWeights(text, ['10', '20', '30']);
    expect(denseOf(keyed.weights)).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(parseGalWeights(text).ids).toEqual(['30', '10', '20']);
    expect(() => parseGalWeights(text, ['10', '20'])).toThrow(/not in the data/);
    expect(() => parseGalWeights('2\n1 1\n2\n')).toThrow(/end of file/);
    expect(() => parseGalWeights('2\n1 2\n2\n2 1\n1\n')).toThrow(/lists 1 neighbours, header says 2/);
  });
});

describe('contiguity weights', () => {
  // A 3 × 2 block of unit squares (MultiPolygon coordinates): queen joins diagonal neighbours, rook only edge neighbours.
  const square = (x: number, y: number) => [[[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]];
  const squares = [square(0, 0), square(1, 0), square(2, 0), square(0, 1), square(1, 1), square(2, 1)];

  it('finds queen and rook neighbours of a lattice', () => {
    const queen = buildContiguityWeights(squares, 'queen');
    const rook = buildContiguityWeights(squares, 'rook');
    expect(neighborsOf(queen, 0)).toEqual([1, 3, 4]);
    expect(neighborsOf(queen, 4)).toEqual([0, 1, 2, 3, 5]);
    expect(neighborsOf(rook, 0)).toEqual([1, 3]);
    expect(neighborsOf(rook, 4)).toEqual([1, 3, 5]);
    expect(isSymmetric(queen) && isSymmetric(rook)).toBe(true);
  });

  it('joins rook neighbours whose shared edge runs the other way round and ignores touching at a point only', () => {
    const a = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]];
    const reversed = [[[[1, 0], [1, 1], [2, 1], [2, 0], [1, 0]].reverse()]];
    const corner = [[[[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]]];
    const rook = buildContiguityWeights([a, reversed, corner], 'rook');
    expect(neighborsOf(rook, 0)).toEqual([1]);
    expect(neighborsOf(buildContiguityWeights([a, reversed, corner], 'queen'), 0)).toEqual([1, 2]);
  });
});

describe('distance weights', () => {
  const points = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: 5, maxLength: 40 });

  it('distance band equals a brute-force search (band edge included)', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 30 }), (pairs, d) => {
        const xy = pairs.flat();
        const w = buildDistanceBandWeights(xy, d);
        pairs.forEach(([x, y], i) => {
          const expected = pairs
            .map(([u, v], j) => ({ j, d2: (u - x) ** 2 + (v - y) ** 2 }))
            .filter(({ j, d2 }) => j !== i && d2 <= d * d)
            .map(({ j }) => j);
          expect(neighborsOf(w, i)).toEqual(expected);
        });
      }),
    );
  });

  it('k nearest equals a brute-force sort (ties by index)', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 4 }), (pairs, k) => {
        const xy = pairs.flat();
        const w = buildKNearestWeights(xy, k);
        pairs.forEach(([x, y], i) => {
          const expected = pairs
            .map(([u, v], j) => ({ j, d2: (u - x) ** 2 + (v - y) ** 2 }))
            .filter(({ j }) => j !== i)
            .sort((a, b) => a.d2 - b.d2 || a.j - b.j)
            .slice(0, k)
            .map(({ j }) => j)
            .sort((a, b) => a - b);
          expect(neighborsOf(w, i)).toEqual(expected);
        });
      }),
    );
  });

  it('finds the toy6 distance-band-15 neighbours (the Getis-Ord example)', () => {
    const w = buildDistanceBandWeights([10, 10, 20, 10, 40, 10, 15, 20, 30, 20, 30, 30], 15);
    expect([0, 1, 2, 3, 4, 5].map((i) => neighborsOf(w, i))).toEqual([[1, 3], [0, 3, 4], [4], [0, 1, 4], [1, 2, 3, 5], [4]]);
  });
});
