// Splits an integer total into integer shares proportional to weights (largest-remainder method), so
// generated populations add up exactly to the census figures they come from.

/** Integer shares of `total` proportional to `weights` (all ≥ 0), summing exactly to `total`. */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error(`apportion: total must be a non-negative integer, got ${total}`);
  if (weights.length === 0) {
    if (total !== 0) throw new Error('apportion: no weights to share a non-zero total');
    return [];
  }
  let weightSum = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new Error(`apportion: weights must be non-negative, got ${w}`);
    weightSum += w;
  }
  const shares = new Array<number>(weights.length);
  if (weightSum === 0) {
    // No information: spread evenly.
    return apportion(total, weights.map(() => 1));
  }
  const remainders: { index: number; remainder: number }[] = [];
  let assigned = 0;
  weights.forEach((w, index) => {
    const exact = (total * w) / weightSum;
    const floor = Math.floor(exact);
    shares[index] = floor;
    assigned += floor;
    remainders.push({ index, remainder: exact - floor });
  });
  remainders.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let k = 0; k < total - assigned; k++) shares[remainders[k]!.index]! += 1;
  return shares;
}
