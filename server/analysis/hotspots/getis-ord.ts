// Getis-Ord statistics with analytic moments under randomisation: local Gi and Gi* as z-scores
// (Getis & Ord 1992; Ord & Getis 1995) and the global General G (Getis & Ord 1992).

import { computeWeightSums, type SpatialWeights } from './spatial-weights';
import { twoSidedPValue, oneSidedPValue } from './normal-distribution';

export interface LocalGetisOrdOptions {
  /**
   * true: Gi*, the unit's own value is part of its neighbourhood (weights must carry w_ii, see
   * `withSelfWeights`). false: Gi, self entries are ignored and the moments use the other n − 1 values.
   */
  star: boolean;
  /**
   * 'weights' (default): the variance of Ord & Getis (1995, eq. 8 and 9) with S1i = Σ_j w_ij², valid for
   * any weights; z-scores are then unchanged by row standardisation. 'cardinality': S1i replaced by
   * W_i = Σ_j w_ij, which equals it for binary weights only; this is what PySAL's `esda.G_Local`
   * computes, kept to reproduce its row-standardised examples.
   */
  variance?: 'weights' | 'cardinality';
}

export interface LocalGetisOrdResult {
  /** G_i (or G_i*) = Σ_j w_ij x_j / Σ_j x_j, the sums over j ≠ i for Gi. */
  g: Float64Array;
  /** z-score (G_i − E[G_i]) / sd(G_i); NaN where the variance is 0 (no neighbours, constant values). */
  z: Float64Array;
  /** Two-sided p-value of z under the normal approximation. */
  p: Float64Array;
}

/**
 * Local Getis-Ord Gi / Gi* for every unit. For Gi* (Ord & Getis 1995, eq. 8):
 *
 *   z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n S1i − W_i²)/(n − 1))),
 *
 * with W_i = Σ_j w_ij, S1i = Σ_j w_ij², x̄ and S = √(Σ x²/n − x̄²) over all n units. For Gi the sums
 * run over j ≠ i and x̄, S over the other n − 1 units, with n − 1 and n − 2 in place of n and n − 1.
 * Values should be non-negative (counts, rates) for G itself to be meaningful; the z-scores are
 * well-defined for any values. O(number of weight entries).
 */
export function computeLocalGetisOrd(
  values: ArrayLike<number>,
  w: SpatialWeights,
  options: LocalGetisOrdOptions,
  out: LocalGetisOrdResult = { g: new Float64Array(w.n), z: new Float64Array(w.n), p: new Float64Array(w.n) },
): LocalGetisOrdResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`values has ${values.length} entries, weights ${n}`);
  const star = options.star;
  const cardinality = options.variance === 'cardinality';
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  // Two-pass sum of squared deviations (no cancellation for large counts).
  let deviations = 0;
  for (let i = 0; i < n; i++) deviations += (values[i]! - mean) ** 2;

  for (let i = 0; i < n; i++) {
    let lag = 0;
    let wSum = 0;
    let wSquares = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      if (!star && j === i) continue;
      const wij = w.weights[e]!;
      lag += wij * values[j]!;
      wSum += wij;
      wSquares += wij * wij;
    }
    if (cardinality) wSquares = wSum;
    const xi = values[i]!;
    let numerator: number;
    let variance: number;
    let denominatorSum: number;
    if (star) {
      const s2 = deviations / n;
      numerator = lag - mean * wSum;
      variance = (s2 * (n * wSquares - wSum * wSum)) / (n - 1);
      denominatorSum = sum;
    } else {
      const m = n - 1;
      const meanOthers = (sum - xi) / m;
      // Σ_{j≠i} (x_j − mean_others)² = Σ_j (x_j − x̄)² − (x_i − x̄)² n/(n − 1).
      const s2 = Math.max(0, deviations - ((xi - mean) ** 2 * n) / m) / m;
      numerator = lag - meanOthers * wSum;
      variance = (s2 * (m * wSquares - wSum * wSum)) / (m - 1);
      denominatorSum = sum - xi;
    }
    out.g[i] = lag / denominatorSum;
    const z = variance > 0 ? numerator / Math.sqrt(variance) : Number.NaN;
    out.z[i] = z;
    out.p[i] = twoSidedPValue(z);
  }
  return out;
}

export interface GlobalGetisOrdResult {
  /** G = Σ_i Σ_{j≠i} w_ij x_i x_j / Σ_i Σ_{j≠i} x_i x_j. */
  g: number;
  expected: number;
  variance: number;
  z: number;
  /** One-sided p-value in the direction of z (as PySAL's `p_norm`). */
  pOneSided: number;
  pTwoSided: number;
}

/**
 * The General G statistic of Getis & Ord (1992, eq. 1) with its moments under randomisation
 * (eq. 5 and 7, the b0…b4 coefficients): E[G] = S0 / (n(n − 1)) and
 * E[G²] = (b0 m2² + b1 m4 + b2 m1² m2 + b3 m1 m3 + b4 m1⁴) / ((m1² − m2)² n(n−1)(n−2)(n−3)),
 * with m_k = Σ x^k and S0, S1, S2 the weight sums (self weights excluded). For positive values.
 */
export function computeGlobalGetisOrd(values: ArrayLike<number>, w: SpatialWeights): GlobalGetisOrdResult {
  const n = w.n;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    m1 += x;
    m2 += x * x;
    m3 += x * x * x;
    m4 += x * x * x * x;
  }
  let numerator = 0;
  for (let i = 0; i < n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      if (j !== i) numerator += w.weights[e]! * values[i]! * values[j]!;
    }
  }
  const denominator = m1 * m1 - m2;
  const g = numerator / denominator;
  const { s0, s1, s2 } = computeWeightSumsWithoutSelf(w);
  const expected = s0 / (n * (n - 1));
  const b0 = (n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0 * s0;
  const b1 = -((n * n - n) * s1 - 2 * n * s2 + 6 * s0 * s0);
  const b2 = -(2 * n * s1 - (n + 3) * s2 + 6 * s0 * s0);
  const b3 = 4 * (n - 1) * s1 - 2 * (n + 1) * s2 + 8 * s0 * s0;
  const b4 = s1 - s2 + s0 * s0;
  const expectedSquare =
    (b0 * m2 * m2 + b1 * m4 + b2 * m1 * m1 * m2 + b3 * m1 * m3 + b4 * m1 ** 4) /
    (denominator * denominator * n * (n - 1) * (n - 2) * (n - 3));
  const variance = expectedSquare - expected * expected;
  const z = (g - expected) / Math.sqrt(variance);
  return { g, expected, variance, z, pOneSided: oneSidedPValue(z), pTwoSided: twoSidedPValue(z) };
}

function computeWeightSumsWithoutSelf(w: SpatialWeights): { s0: number; s1: number; s2: number } {
  for (let i = 0; i < w.n; i++) {
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      if (w.neighbors[e] === i && w.weights[e] !== 0) {
        throw new Error('global G is defined without self weights (w_ii = 0); drop them with withoutSelfWeights');
      }
    }
  }
  return computeWeightSums(w);
}
