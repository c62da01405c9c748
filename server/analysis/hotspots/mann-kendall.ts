// The Mann-Kendall trend test (Mann 1945; Kendall 1975) of a series in time order: S, its variance
// with the correction for ties, the continuity-corrected z-score and its two-sided p-value.

import { twoSidedPValue } from './normal-distribution';

export interface MannKendallResult {
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var[S] = (n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)) / 18 over tie groups of size t. */
  variance: number;
  /** (S − 1)/√Var for S > 0, (S + 1)/√Var for S < 0, else 0. */
  z: number;
  /** Two-sided p-value of z (1 when there is no variance: fewer than 2 distinct values). */
  p: number;
  /** Kendall's tau-a: S / (n(n − 1)/2). */
  tau: number;
}

/**
 * Mann-Kendall test on `series[offset], series[offset + stride], …` (n values), so one cell's slice
 * of a cube stored slice-major can be tested without copying. O(n²), n is small (time slices).
 */
export function computeMannKendall(series: ArrayLike<number>, n = series.length, offset = 0, stride = 1): MannKendallResult {
  let s = 0;
  for (let a = 0; a < n - 1; a++) {
    const xa = series[offset + a * stride]!;
    for (let b = a + 1; b < n; b++) {
      const xb = series[offset + b * stride]!;
      s += xb > xa ? 1 : xb < xa ? -1 : 0;
    }
  }
  // Tie correction: sort a copy and walk the runs of equal values.
  const sorted = new Float64Array(n);
  for (let a = 0; a < n; a++) sorted[a] = series[offset + a * stride]!;
  sorted.sort();
  let tieTerm = 0;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && sorted[b] === sorted[a]) b++;
    const t = b - a;
    if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
    a = b;
  }
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  return { s, variance, z, p: variance > 0 ? twoSidedPValue(z) : 1, tau: n > 1 ? s / ((n * (n - 1)) / 2) : 0 };
}
