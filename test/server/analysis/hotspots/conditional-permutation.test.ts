// Conditional permutation: seeded reproducibility, the exact permutation distribution on a tiny case,
// the smallest pseudo p-value for an extreme unit, ties among sparse counts, islands, and a naive
// oracle that recomputes every statistic of every permutation from its definition.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../server/analysis/random';
import { computeConditionalPermutations, drawPermutationIndices, type PermutedStatistic } from '../../../../server/analysis/hotspots/conditional-permutation';
import { prepareGetisOrdWeights } from '../../../../server/analysis/hotspots/detect-hotspots';
import { weightsFromNeighborLists, type SpatialWeights } from '../../../../server/analysis/hotspots/spatial-weights';

const seeded = (seed: number) => {
  const rng = createRng(seed);
  return () => rng.next();
};

describe('permutation draws', () => {
  it('draws distinct indices per permutation, uniformly', () => {
    const draws = drawPermutationIndices(10, 3, 20_000, seeded(1));
    const hits = new Array<number>(10).fill(0);
    for (let p = 0; p < 20_000; p++) {
      const row = Array.from(draws.subarray(p * 3, p * 3 + 3));
      expect(new Set(row).size).toBe(3);
      for (const r of row) hits[r]! += 1;
    }
    // Each index appears 6,000 times on average (binomial sd ≈ 70).
    for (const count of hits) expect(Math.abs(count - 6000)).toBeLessThan(400);
    // Partial Fisher-Yates when k is large relative to the population.
    const dense = drawPermutationIndices(4, 4, 50, seeded(2));
    for (let p = 0; p < 50; p++) expect(Array.from(dense.subarray(p * 4, p * 4 + 4)).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('conditional permutation pseudo p-values', () => {
  // Star graph: unit 0 joined to 1 and 2; 3, 4, 5 joined in a path.
  const base = weightsFromNeighborLists([[1, 2], [0], [0], [4], [3, 5], [4]]);
  const values = [10, 9, 8, 1, 2, 0];

  it('are reproducible for a seed and change with it', () => {
    const w = prepareGetisOrdWeights(base, { star: true, rowStandardized: false });
    const run = (seed: number) => computeConditionalPermutations(values, w, { statistic: 'getisOrdStar', permutations: 999, random: seeded(seed) });
    expect(run(5)).toEqual(run(5));
    expect(run(5).pSim).not.toEqual(run(6).pSim);
  });

  it('approach the exact conditional permutation p-value', () => {
    // Unit 0 keeps 10; its two neighbours are drawn from {9, 8, 1, 2, 0}: 20 ordered pairs, of which only
    // {9, 8} (2 orders) reach the observed sum 17: exact one-sided p = 2/20 = 0.1.
    const w = prepareGetisOrdWeights(base, { star: true, rowStandardized: false });
    const result = computeConditionalPermutations(values, w, { statistic: 'getisOrdStar', permutations: 9999, random: seeded(3) });
    // pSim = (R + 1)/(P + 1) with R ~ Binomial(9999, 0.1): within 4 sd of 0.1.
    expect(Math.abs(result.pSim[0]! - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 9999) + 1e-4);
  });

  it('give the smallest possible p-value to a unit beyond (almost) every permutation', () => {
    // Unit 15's neighbours hold the two largest values: a permutation ties them with probability 2/(199 · 198).
    const path = weightsFromNeighborLists(Array.from({ length: 200 }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < 200)));
    const x = Array.from({ length: 200 }, (_, i) => (i >= 14 && i <= 16 ? 100 : i % 3));
    const result = computeConditionalPermutations(x, prepareGetisOrdWeights(path, { star: true, rowStandardized: false }), {
      statistic: 'getisOrdStar',
      permutations: 99,
      random: seeded(4),
    });
    expect(result.pSim[15]).toBe(1 / 100);
    expect(result.zSim[15]).toBeGreaterThan(3);
  });

  it('count ties on both sides: a zero among zeros is not significant', () => {
    const path = weightsFromNeighborLists(Array.from({ length: 40 }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < 40)));
    const x = Array.from({ length: 40 }, (_, i) => (i === 20 ? 5 : 0));
    const result = computeConditionalPermutations(x, prepareGetisOrdWeights(path, { star: true, rowStandardized: false }), {
      statistic: 'getisOrdStar',
      permutations: 199,
      random: seeded(5),
    });
    expect(result.pSim[5]).toBeGreaterThan(0.5);
  });

  it('leave units without neighbours at p = 1', () => {
    const w = weightsFromNeighborLists([[1], [0], []]);
    const result = computeConditionalPermutations([1, 5, 9], w, { statistic: 'localMoran', permutations: 99, random: seeded(6) });
    expect(result.pSim[2]).toBe(1);
    expect(Number.isNaN(result.zSim[2]!)).toBe(true);
  });

  it('find a block of high values with local Moran\'s I', () => {
    // Units 10–14 high among lows: unit 12's two neighbours are high, which a random pair of the 29
    // others is with probability 4 · 3 / (29 · 28) ≈ 0.015.
    const path = weightsFromNeighborLists(Array.from({ length: 30 }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < 30)));
    const x = Array.from({ length: 30 }, (_, i) => (i >= 10 && i <= 14 ? 50 : (i * 7) % 5));
    const result = computeConditionalPermutations(x, path, { statistic: 'localMoran', permutations: 999, random: seeded(7) });
    expect(result.pSim[12]).toBeLessThan(0.04);
    expect(result.zSim[12]).toBeGreaterThan(2);
    expect(result.pSim[25]).toBeGreaterThan(0.05);
  });
});

/**
 * The oracle: for every unit and permutation, the statistic itself from its definition, with the
 * neighbours' values taken from the shared draws (indices of "the other units", index i standing for
 * the last unit), counted at least / at most as extreme as the observed one.
 */
function naivePermutations(x: number[], w: SpatialWeights, statistic: PermutedStatistic, permutations: number, seed: number) {
  const n = w.n;
  const rows = Array.from({ length: n }, (_, i) => {
    const entries: { j: number; wij: number }[] = [];
    let self = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      if (w.neighbors[e] === i) self = w.weights[e]!;
      else entries.push({ j: w.neighbors[e]!, wij: w.weights[e]! });
    }
    return { entries, self };
  });
  const kMax = Math.max(0, ...rows.map((row) => row.entries.length));
  const draws = drawPermutationIndices(n - 1, kMax, permutations, seeded(seed));
  const total = x.reduce((a, b) => a + b, 0);
  const mean = total / n;
  const m2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const value = (i: number, neighbours: number[]): number => {
    const { entries, self } = rows[i]!;
    if (statistic === 'getisOrdStar') return (self * x[i]! + entries.reduce((acc, { wij }, m) => acc + wij * neighbours[m]!, 0)) / total;
    if (statistic === 'getisOrd') return entries.reduce((acc, { wij }, m) => acc + wij * neighbours[m]!, 0) / (total - x[i]!);
    return ((x[i]! - mean) / m2) * entries.reduce((acc, { wij }, m) => acc + wij * (neighbours[m]! - mean), 0);
  };
  return x.map((_, i) => {
    const k = rows[i]!.entries.length;
    const observed = value(i, rows[i]!.entries.map(({ j }) => x[j]!));
    // No neighbours, or a statistic that is undefined (Gi with all the other values 0) or cannot vary.
    if (k === 0 || !Number.isFinite(observed) || (statistic === 'localMoran' && x[i] === mean)) return { p: 1, mean: Number.NaN, sd: Number.NaN };
    const simulated = Array.from({ length: permutations }, (_, p) =>
      value(i, Array.from({ length: k }, (_, m) => x[draws[p * kMax + m] === i ? n - 1 : draws[p * kMax + m]!]!)),
    );
    const tolerance = 1e-9 * Math.max(1e-9, Math.abs(observed));
    const atLeast = simulated.filter((s) => s >= observed - tolerance).length;
    const atMost = simulated.filter((s) => s <= observed + tolerance).length;
    const simMean = simulated.reduce((a, b) => a + b, 0) / permutations;
    const sd = Math.sqrt(simulated.reduce((a, b) => a + (b - simMean) ** 2, 0) / permutations);
    return { p: (Math.min(atLeast, atMost) + 1) / (permutations + 1), mean: simMean, sd };
  });
}

describe('conditional permutations against the naive oracle', () => {
  it('give the same pseudo p-values, means and spreads on random graphs, weights and counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 24 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
            fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { minLength: 1, maxLength: 3 * n }),
            fc.constantFrom<PermutedStatistic>('getisOrdStar', 'getisOrd', 'localMoran'),
            fc.constantFrom('binary', 'rowStandardized', 'uneven'),
            fc.integer({ min: 1, max: 1000 }),
          ),
        ),
        ([n, x, pairs, statistic, shape, seed]) => {
          const lists: number[][] = Array.from({ length: n }, () => []);
          for (const [i, j] of pairs) {
            lists[i]!.push(j);
            lists[j]!.push(i);
          }
          let w = weightsFromNeighborLists(lists);
          // Uneven weights take the direct path, even ones the shared sorted sums.
          if (shape === 'uneven') w = { ...w, weights: Float64Array.from(w.weights, (_, e) => 1 + (e % 3)) };
          w = prepareGetisOrdWeights(w, { star: statistic === 'getisOrdStar', rowStandardized: shape === 'rowStandardized' });
          // Some value must be positive for Gi and Gi* to be defined anywhere.
          if (Math.max(...x) === 0) x[0] = 1;
          const fast = computeConditionalPermutations(x, w, { statistic, permutations: 199, random: seeded(seed) });
          const slow = naivePermutations(x, w, statistic, 199, seed);
          slow.forEach((expected, i) => {
            expect(fast.pSim[i]).toBe(expected.p);
            if (Number.isNaN(expected.mean)) return;
            expect(fast.meanSim[i]).toBeCloseTo(expected.mean, 9);
            expect(fast.sdSim[i]).toBeCloseTo(expected.sd, 9);
          });
        },
      ),
      // endOnFailure: shrinking these nested arbitraries takes minutes; the first counterexample is small enough.
      { seed: 20261128, numRuns: 300, endOnFailure: true },
    );
  });
});
