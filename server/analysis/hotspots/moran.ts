// Moran's I: the global statistic with moments under normality and randomisation (Cliff & Ord 1981)
// and the local indicators of spatial association of Anselin (1995) with analytic moments under total
// (Anselin 1995) or conditional (Sokal, Oden & Thomson 1998) randomisation.

import { computeWeightSums, type SpatialWeights } from './spatial-weights';
import { oneSidedPValue, twoSidedPValue } from './normal-distribution';

export interface GlobalMoranResult {
  /** I = (n / S0) Σ_ij w_ij z_i z_j / Σ_i z_i², z = x − x̄. */
  i: number;
  /** E[I] = −1/(n − 1). */
  expected: number;
  /** Var[I] under the normality assumption. */
  varianceNormal: number;
  /** Var[I] under randomisation (total permutation). */
  varianceRandom: number;
  zNormal: number;
  zRandom: number;
  /** One-sided p-values in the direction of z (PySAL's `p_norm`, `p_rand` with two_tailed=False). */
  pNormalOneSided: number;
  pRandomOneSided: number;
  pNormalTwoSided: number;
  pRandomTwoSided: number;
}

/**
 * Global Moran's I (Moran 1950) with E[I] = −1/(n − 1) and, following Cliff & Ord (1981, eq. 1.35–1.38):
 *
 *   Var_N[I] = (n² S1 − n S2 + 3 S0²) / ((n² − 1) S0²) − E[I]²
 *   Var_R[I] = (n((n² − 3n + 3) S1 − n S2 + 3 S0²) − b2((n² − n) S1 − 2n S2 + 6 S0²))
 *              / ((n − 1)(n − 2)(n − 3) S0²) − E[I]²,   b2 = n Σ z⁴ / (Σ z²)².
 */
export function computeGlobalMoran(values: ArrayLike<number>, w: SpatialWeights): GlobalMoranResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`values has ${values.length} entries, weights ${n}`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let squares = 0;
  let fourth = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
    fourth += d * d * d * d;
  }
  let cross = 0;
  for (let i = 0; i < n; i++) {
    const zi = values[i]! - mean;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) cross += w.weights[e]! * zi * (values[w.neighbors[e]!]! - mean);
  }
  const { s0, s1, s2 } = computeWeightSums(w);
  const i = (n / s0) * (cross / squares);
  const expected = -1 / (n - 1);
  const s0Squared = s0 * s0;
  const varianceNormal = (n * n * s1 - n * s2 + 3 * s0Squared) / ((n * n - 1) * s0Squared) - expected * expected;
  const b2 = (n * fourth) / (squares * squares);
  const varianceRandom =
    (n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s0Squared) - b2 * ((n * n - n) * s1 - 2 * n * s2 + 6 * s0Squared)) /
      ((n - 1) * (n - 2) * (n - 3) * s0Squared) -
    expected * expected;
  const zNormal = (i - expected) / Math.sqrt(varianceNormal);
  const zRandom = (i - expected) / Math.sqrt(varianceRandom);
  return {
    i,
    expected,
    varianceNormal,
    varianceRandom,
    zNormal,
    zRandom,
    pNormalOneSided: oneSidedPValue(zNormal),
    pRandomOneSided: oneSidedPValue(zRandom),
    pNormalTwoSided: twoSidedPValue(zNormal),
    pRandomTwoSided: twoSidedPValue(zRandom),
  };
}

/** Moran scatterplot quadrant of a unit: its value and its spatial lag above (H) or below (L) the mean. */
export const MORAN_QUADRANTS = ['HH', 'LH', 'LL', 'HL'] as const;
export type MoranQuadrant = (typeof MORAN_QUADRANTS)[number];

export interface LocalMoranResult {
  /** I_i = (z_i / m2) Σ_{j≠i} w_ij z_j with z = x − x̄ and m2 = Σ z² / n (Anselin 1995, eq. 7). */
  ii: Float64Array;
  /** E[I_i] under the chosen null. */
  expected: Float64Array;
  variance: Float64Array;
  /** (I_i − E[I_i]) / √Var[I_i]; NaN where the variance is 0. */
  z: Float64Array;
  /** Two-sided normal p-value of z. */
  p: Float64Array;
  /** Index into MORAN_QUADRANTS (0 HH, 1 LH, 2 LL, 3 HL). */
  quadrant: Uint8Array;
}

export interface LocalMoranOptions {
  /**
   * 'conditional' (default): moments under conditional randomisation, z_i held fixed (Sokal, Oden &
   * Thomson 1998, eq. A7–A8; spdep's `localmoran` default). 'total': under total randomisation
   * (Anselin 1995, eq. 13–14 in the form of Sokal et al. 1998, eq. A3–A4).
   */
  moments?: 'conditional' | 'total';
}

/**
 * Local Moran's I (Anselin 1995) with analytic moments. With w_i = Σ_j w_ij, w_i(2) = Σ_j w_ij²,
 * b2 = m4/m2²:
 *
 *   total:        E = −w_i/(n−1),
 *                 Var = w_i(2)(n − b2)/(n − 1) + (w_i² − w_i(2))(2b2 − n)/((n − 1)(n − 2)) − E²
 *   conditional:  E = −z_i² w_i / ((n − 1) m2),
 *                 Var = (z_i/m2)² n/(n − 2) (w_i(2) − w_i²/(n − 1)) (m2 − z_i²/(n − 1)).
 *
 * Self weights are ignored. O(number of weight entries).
 */
export function computeLocalMoran(values: ArrayLike<number>, w: SpatialWeights, options: LocalMoranOptions = {}): LocalMoranResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`values has ${values.length} entries, weights ${n}`);
  const conditional = (options.moments ?? 'conditional') === 'conditional';
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  const b2 = m4 / (m2 * m2);
  const result: LocalMoranResult = {
    ii: new Float64Array(n),
    expected: new Float64Array(n),
    variance: new Float64Array(n),
    z: new Float64Array(n),
    p: new Float64Array(n),
    quadrant: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const zi = values[i]! - mean;
    let lag = 0;
    let wi = 0;
    let wi2 = 0;
    for (let e = w.offsets[i]!; e < w.offsets[i + 1]!; e++) {
      const j = w.neighbors[e]!;
      if (j === i) continue;
      const wij = w.weights[e]!;
      lag += wij * (values[j]! - mean);
      wi += wij;
      wi2 += wij * wij;
    }
    const ii = (zi / m2) * lag;
    let expected: number;
    let variance: number;
    if (conditional) {
      expected = -(zi * zi * wi) / ((n - 1) * m2);
      variance = (zi / m2) ** 2 * (n / (n - 2)) * (wi2 - (wi * wi) / (n - 1)) * (m2 - (zi * zi) / (n - 1));
    } else {
      expected = -wi / (n - 1);
      variance = (wi2 * (n - b2)) / (n - 1) + ((wi * wi - wi2) * (2 * b2 - n)) / ((n - 1) * (n - 2)) - expected * expected;
    }
    const z = variance > 0 ? (ii - expected) / Math.sqrt(variance) : Number.NaN;
    result.ii[i] = ii;
    result.expected[i] = expected;
    result.variance[i] = variance;
    result.z[i] = z;
    result.p[i] = twoSidedPValue(z);
    result.quadrant[i] = zi > 0 ? (lag > 0 ? 0 : 3) : lag > 0 ? 1 : 2;
  }
  return result;
}
