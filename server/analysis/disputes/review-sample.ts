// The review sample (治理复查抽查) of a period's cases: each case is drawn by a hash of its own id against
// the rate (a Bernoulli draw seeded by the id), so a case is in or out of every sample at that rate, the
// same on every call, whatever else the period holds; at least one case when there is any.

/** Default share of a period's cases drawn for review. */
export const DEFAULT_REVIEW_RATE = 0.1;

/**
 * A uniform number in [0, 1) from a case id: the 32-bit finaliser of MurmurHash3 (fmix32) over the id,
 * which spreads consecutive ids over the whole range.
 */
export function reviewDraw(id: number): number {
  let h = id >>> 0;
  h ^= Math.floor(id / 0x1_0000_0000) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/**
 * The ids drawn for review at `rate` (0–1): those whose draw is below the rate, in the order given; when
 * none is but `ids` is not empty, the one with the smallest draw (ties: the smaller id).
 */
export function sampleForReview(ids: readonly number[], rate: number): number[] {
  const drawn = ids.filter((id) => reviewDraw(id) < rate);
  if (drawn.length > 0 || ids.length === 0) return drawn;
  let best = ids[0]!;
  for (const id of ids) {
    const [a, b] = [reviewDraw(id), reviewDraw(best)];
    if (a < b || (a === b && id < best)) best = id;
  }
  return [best];
}
