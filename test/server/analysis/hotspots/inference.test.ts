// The inference helpers: normal tails against tabulated values of R's pnorm, Benjamini-Hochberg by hand,
// hot spot classes, and the Mann-Kendall test by hand.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjustBenjaminiHochberg, computeBenjaminiHochbergThreshold } from '../../../../server/analysis/hotspots/false-discovery-rate';
import { classifyHotspots } from '../../../../server/analysis/hotspots/hotspot-classes';
import { computeMannKendall } from '../../../../server/analysis/hotspots/mann-kendall';
import { normalCdf, normalUpperTail, twoSidedPValue } from '../../../../server/analysis/hotspots/normal-distribution';

/** pnorm(z, lower.tail = FALSE) in R, 15 significant digits. */
const UPPER_TAIL: [number, number][] = [
  [0, 0.5],
  [1, 0.158655253931457],
  [2, 0.0227501319481792],
  [3, 0.00134989803163009],
  [4, 3.16712418331200e-5],
  [5, 2.86651571879194e-7],
  [6, 9.86587645037698e-10],
  [7, 1.27981254388584e-12],
  [8, 6.22096057427178e-16],
  [10, 7.61985302416053e-24],
  [20, 2.75362411860623e-89],
];

describe('normal tails', () => {
  it('matches R pnorm(z, lower.tail = FALSE) to 1e-13 relative, far into the tail', () => {
    for (const [z, expected] of UPPER_TAIL) expect(Math.abs(normalUpperTail(z) - expected) / expected).toBeLessThan(1e-13);
  });

  it('has the textbook critical values and symmetry', () => {
    expect(twoSidedPValue(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedPValue(-2.5758293035489)).toBeCloseTo(0.01, 14);
    expect(twoSidedPValue(1.6448536269514722)).toBeCloseTo(0.1, 14);
    expect(normalCdf(0)).toBe(0.5);
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 14);
      }),
    );
    expect(Number.isNaN(twoSidedPValue(Number.NaN))).toBe(true);
  });
});

describe('Benjamini-Hochberg', () => {
  // m = 8: thresholds k α / m at α = 0.05 are 0.00625, 0.0125, …; the largest p_(k) under its threshold is p_(3) = 0.012.
  const p = [0.04, 0.001, 0.3, 0.012, 0.008, 0.9, 0.045, 0.2];

  it('finds the step-up threshold by hand', () => {
    expect(computeBenjaminiHochbergThreshold(p, 0.05)).toBe(0.012);
    expect(computeBenjaminiHochbergThreshold(p, 0.001)).toBe(-1);
    expect(computeBenjaminiHochbergThreshold([0.01, Number.NaN, 0.02], 0.05)).toBe(0.02);
  });

  it('adjusts p-values so that q ≤ α exactly for the rejected tests', () => {
    const q = adjustBenjaminiHochberg(p);
    // Sorted: 0.001 0.008 0.012 0.04 0.045 0.2 0.3 0.9 → m p / k: 0.008 0.032 0.032 0.08 0.072 0.2667 0.3429 0.9, then running minima from the top.
    expect(Array.from(q).map((value) => Number(value.toFixed(6)))).toEqual([0.072, 0.008, 0.342857, 0.032, 0.032, 0.9, 0.072, 0.266667]);
    for (const alpha of [0.01, 0.05, 0.1]) {
      const threshold = computeBenjaminiHochbergThreshold(p, alpha);
      p.forEach((value, i) => expect(q[i]! <= alpha).toBe(value <= threshold));
    }
  });
});

describe('hot spot classes', () => {
  it('bins by two-sided p at 99/95/90 % with the sign of z', () => {
    const z = [3, 2.2, 1.7, 1.2, -1.7, -2.2, -3, Number.NaN];
    const p = z.map(twoSidedPValue);
    expect(Array.from(classifyHotspots(z, p, { fdr: false }))).toEqual([3, 2, 1, 0, -1, -2, -3, 0]);
  });

  it('is stricter with FDR control', () => {
    const z = [4, 2.2, 1.7, 0.1, 0.2, -0.3, 0.05, -0.1, 0.4, 0.3];
    const p = z.map(twoSidedPValue);
    const plain = classifyHotspots(z, p, { fdr: false });
    const controlled = classifyHotspots(z, p, { fdr: true });
    expect(Array.from(plain).slice(0, 3)).toEqual([3, 2, 1]);
    expect(controlled[0]).toBe(3);
    expect(controlled[2]).toBe(0);
    controlled.forEach((cls, i) => expect(Math.abs(cls)).toBeLessThanOrEqual(Math.abs(plain[i]!)));
  });
});

describe('Mann-Kendall', () => {
  it('computes S, Var(S) and z by hand for a strictly rising series', () => {
    const result = computeMannKendall([1, 2, 3, 4, 5]);
    expect(result.s).toBe(10);
    expect(result.variance).toBeCloseTo((5 * 4 * 15) / 18, 12);
    expect(result.z).toBeCloseTo(9 / Math.sqrt(50 / 3), 12);
    expect(result.tau).toBe(1);
    expect(result.p).toBeCloseTo(twoSidedPValue(9 / Math.sqrt(50 / 3)), 14);
  });

  it('corrects the variance for ties and reads strided series', () => {
    // [1, 1, 2, 3]: S = 5; Var = (4·3·13 − 2·1·9)/18 = 138/18.
    const result = computeMannKendall([1, 1, 2, 3]);
    expect(result.s).toBe(5);
    expect(result.variance).toBeCloseTo(138 / 18, 12);
    expect(result.z).toBeCloseTo(4 / Math.sqrt(138 / 18), 12);
    const strided = computeMannKendall([9, 1, 9, 1, 9, 2, 9, 3], 4, 1, 2);
    expect(strided.s).toBe(5);
    expect(computeMannKendall([5, 4, 3, 2, 1]).z).toBeCloseTo(-9 / Math.sqrt(50 / 3), 12);
    expect(computeMannKendall([2, 2, 2]).p).toBe(1);
  });
});
