// False-discovery-rate control for many simultaneous tests: the Benjamini-Hochberg (1995) step-up
// threshold and adjusted p-values (q-values).

/**
 * The Benjamini-Hochberg step-up threshold: the largest p_(k) with p_(k) ≤ k α / m over the m p-values
 * sorted ascending (NaN p-values are not tests and are left out of m). Rejecting every p ≤ the threshold
 * keeps the expected share of false discoveries at most α for independent or positively dependent
 * tests (Benjamini & Hochberg 1995, J. R. Stat. Soc. B 57, 289–300). Returns −1 when nothing is rejected.
 */
export function computeBenjaminiHochbergThreshold(pValues: ArrayLike<number>, alpha: number): number {
  const sorted = sortedFinite(pValues);
  const m = sorted.length;
  for (let k = m; k >= 1; k--) {
    if (sorted[k - 1]! <= (k * alpha) / m) return sorted[k - 1]!;
  }
  return -1;
}

/**
 * Benjamini-Hochberg adjusted p-values: q_(k) = min_{j ≥ k} min(1, m p_(j) / j), in the input order
 * (NaN stays NaN). A test is rejected at FDR level α exactly when q ≤ α.
 */
export function adjustBenjaminiHochberg(pValues: ArrayLike<number>, out: Float64Array = new Float64Array(pValues.length)): Float64Array {
  const order: number[] = [];
  for (let i = 0; i < pValues.length; i++) {
    if (Number.isNaN(pValues[i]!)) out[i] = Number.NaN;
    else order.push(i);
  }
  order.sort((a, b) => pValues[a]! - pValues[b]!);
  const m = order.length;
  let running = 1;
  for (let k = m; k >= 1; k--) {
    const i = order[k - 1]!;
    // m/k ≥ 1, so q ≥ p; the max keeps that true in floating point too (m · p / m can round below p).
    running = Math.min(running, Math.max(pValues[i]!, (m * pValues[i]!) / k));
    out[i] = running;
  }
  return out;
}

function sortedFinite(pValues: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < pValues.length; i++) if (!Number.isNaN(pValues[i]!)) count++;
  const sorted = new Float64Array(count);
  let write = 0;
  for (let i = 0; i < pValues.length; i++) if (!Number.isNaN(pValues[i]!)) sorted[write++] = pValues[i]!;
  return sorted.sort();
}
