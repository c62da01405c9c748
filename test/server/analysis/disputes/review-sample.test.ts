// The review sample's draw: deterministic per id, uniform enough that a rate draws about that share,
// nested as the rate grows, and at least one case when there is any.

import { describe, expect, it } from 'vitest';
import { reviewDraw, sampleForReview } from '../../../../server/analysis/disputes/review-sample';

describe('sampleForReview', () => {
  it('draws each id the same way every time, in [0, 1)', () => {
    for (const id of [1, 2, 3, 1_000_000, 2 ** 40 + 7]) {
      expect(reviewDraw(id)).toBe(reviewDraw(id));
      expect(reviewDraw(id)).toBeGreaterThanOrEqual(0);
      expect(reviewDraw(id)).toBeLessThan(1);
    }
    // MurmurHash3's fmix32, computed independently with Python's unbounded integers masked to 32 bits.
    expect(reviewDraw(1)).toBe(0x514e28b7 / 2 ** 32);
    expect(reviewDraw(2)).toBe(0x30f4c306 / 2 ** 32);
  });

  it('draws about the rate’s share of consecutive ids, nested as the rate grows', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const tenth = sampleForReview(ids, 0.1);
    expect(tenth.length / ids.length).toBeGreaterThan(0.097);
    expect(tenth.length / ids.length).toBeLessThan(0.103);
    const fifth = new Set(sampleForReview(ids, 0.2));
    expect(tenth.every((id) => fifth.has(id))).toBe(true);
    expect(sampleForReview(ids, 1)).toEqual(ids);
  });

  it('keeps at least one case: the one with the smallest draw', () => {
    const ids = [11, 12, 13, 14, 15];
    const expected = [...ids].sort((a, b) => reviewDraw(a) - reviewDraw(b))[0]!;
    expect(sampleForReview(ids, 1e-12)).toEqual([expected]);
    expect(sampleForReview([], 0.5)).toEqual([]);
  });
});
