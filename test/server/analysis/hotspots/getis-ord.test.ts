// Getis-Ord Gi, Gi* and General G: a hand-computed case, the published PySAL values for the toy6 example
// (Getis & Ord's distance band 15), and a naive O(n²) oracle written from the papers' formulas on
// seeded random weights and counts.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepareGetisOrdWeights } from '../../../../server/analysis/hotspots/detect-hotspots';
import { buildDistanceBandWeights } from '../../../../server/analysis/hotspots/distance-weights';
import { computeGlobalGetisOrd, computeLocalGetisOrd } from '../../../../server/analysis/hotspots/getis-ord';
import { normalUpperTail } from '../../../../server/analysis/hotspots/normal-distribution';
import { weightsFromNeighborLists, type SpatialWeights } from '../../../../server/analysis/hotspots/spatial-weights';

const TOY6_XY = [10, 10, 20, 10, 40, 10, 15, 20, 30, 20, 30, 30];
const TOY6_Y = [2, 3, 3.2, 5, 8, 7];

function dense(w: SpatialWeights): number[][] {
  const matrix = Array.from({ length: w.n }, () => new Array<number>(w.n).fill(0));
  for (let i = 0; i < w.n; i++) for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) matrix[i]![w.neighbors[e]!] = w.weights[e]!;
  return matrix;
}

/** Ord & Getis (1995) eq. 8 (Gi*) and the Gi form, straight from a dense matrix: the oracle. */
function naiveLocalG(x: number[], matrix: number[][], star: boolean): number[] {
  const n = x.length;
  return x.map((_, i) => {
    const others = star ? x : x.filter((_, j) => j !== i);
    const m = others.length;
    const mean = others.reduce((a, b) => a + b, 0) / m;
    const s = Math.sqrt(others.reduce((a, b) => a + b * b, 0) / m - mean * mean);
    let lag = 0;
    let wSum = 0;
    let wSquares = 0;
    for (let j = 0; j < n; j++) {
      if (!star && j === i) continue;
      lag += matrix[i]![j]! * x[j]!;
      wSum += matrix[i]![j]!;
      wSquares += matrix[i]![j]! ** 2;
    }
    return (lag - mean * wSum) / (s * Math.sqrt((m * wSquares - wSum * wSum) / (m - 1)));
  });
}

describe('local Getis-Ord', () => {
  it('computes Gi* on a 3-unit path by hand', () => {
    // Path 0 – 1 – 2, values 1, 2, 6; Gi* with w_ii = 1.
    const w = prepareGetisOrdWeights(weightsFromNeighborLists([[1], [0, 2], [1]]), { star: true, rowStandardized: false });
    const result = computeLocalGetisOrd([1, 2, 6], w, { star: true });
    // x̄ = 3, S = √(41/3 − 9) = √(14/3). Unit 0: W = 2, S1 = 2, lag = 3 → (3 − 6)/(S √((3·2 − 4)/2)) = −3/S.
    const s = Math.sqrt(14 / 3);
    expect(result.z[0]).toBeCloseTo(-3 / s, 12);
    // Unit 1 has every unit in its neighbourhood: G*_1 = 1 whatever the values, so no variance (z NaN).
    // Unit 2: W = 2, lag = 8 → (8 − 6)/S = 2/S.
    expect(result.z[1]).toBeNaN();
    expect(result.g[1]).toBe(1);
    expect(result.z[2]).toBeCloseTo(2 / s, 12);
    expect(result.g[2]).toBeCloseTo(8 / 9, 12);
    expect(result.p[2]).toBeCloseTo(2 * normalUpperTail(2 / s), 12);
  });

  it('reproduces PySAL esda G_Local on toy6, binary and row-standardised, Gi and Gi*', () => {
    const base = buildDistanceBandWeights(TOY6_XY, 15);
    const z = (star: boolean, rowStandardized: boolean, variance?: 'cardinality') =>
      Array.from(computeLocalGetisOrd(TOY6_Y, prepareGetisOrdWeights(base, { star, rowStandardized }), { star, variance }).z);
    // esda.getisord.G_Local docstring and tests (Zs): transform B / R, star False / True.
    const published = {
      giBinary: [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941],
      giRow: [-0.62074534, -0.01780611, 1.31558703, -0.12824171, 0.28843496, 1.77833941],
      giStarBinary: [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331],
      giStarRow: [-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388],
    };
    const close = (actual: number[], expected: number[]) => actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-6));
    close(z(false, false), published.giBinary);
    close(z(true, false), published.giStarBinary);
    // PySAL's row-standardised values use the binary-weights variance (S1i replaced by W_i = 1).
    close(z(false, true, 'cardinality'), published.giRow);
    close(z(true, true, 'cardinality'), published.giStarRow);
    // With the general variance of Ord & Getis (1995), row standardisation leaves z unchanged.
    close(z(false, true), published.giBinary);
    close(z(true, true), published.giStarBinary);
  });

  it('agrees with the naive oracle on random weights and counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 30 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.integer({ min: 0, max: 40 }), { minLength: n, maxLength: n }),
            fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { minLength: n, maxLength: 4 * n }),
            fc.boolean(),
            fc.boolean(),
          ),
        ),
        ([n, x, pairs, star, rowStandardized]) => {
          const lists: number[][] = Array.from({ length: n }, () => []);
          for (const [i, j] of pairs) {
            lists[i]!.push(j);
            lists[j]!.push(i);
          }
          const w = prepareGetisOrdWeights(weightsFromNeighborLists(lists), { star, rowStandardized });
          const fast = computeLocalGetisOrd(x, w, { star }).z;
          const slow = naiveLocalG(x, dense(w), star);
          slow.forEach((expected, i) => {
            if (Number.isFinite(expected)) expect(fast[i]).toBeCloseTo(expected, 8);
            else expect(Number.isNaN(fast[i]!) || !Number.isFinite(fast[i]!)).toBe(true);
          });
        },
      ),
      { seed: 20261101, numRuns: 200 },
    );
  });
});

describe('global General G', () => {
  it('reproduces PySAL esda G on toy6 (G = 0.55709779, one-sided p = 0.1729)', () => {
    const result = computeGlobalGetisOrd(TOY6_Y, buildDistanceBandWeights(TOY6_XY, 15));
    expect(Math.abs(result.g - 0.55709779)).toBeLessThan(1e-8);
    expect(Math.abs(result.pOneSided - 0.1729)).toBeLessThan(5e-5);
    // E[G] = S0 / (n(n − 1)) = 14 / 30.
    expect(result.expected).toBeCloseTo(14 / 30, 14);
  });

  it('refuses weights with self entries', () => {
    const w = prepareGetisOrdWeights(buildDistanceBandWeights(TOY6_XY, 15), { star: true, rowStandardized: false });
    expect(() => computeGlobalGetisOrd(TOY6_Y, w)).toThrow(/self weights/);
  });
});
