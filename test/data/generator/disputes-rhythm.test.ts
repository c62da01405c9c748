// Report-time rhythm: weekday and hour factors average 1 with their documented troughs, every type's
// seasonal factor averages about 1 over a year with its bumps where documented, and the hourly-slot
// sampler reproduces a known intensity.

import { describe, expect, it } from 'vitest';
import { DISPUTE_TYPE_KEYS } from '../../../server/domain/dispute-categories';
import { CHINA_UTC_OFFSET_MS, MS_PER_DAY, MS_PER_HOUR } from '../../../server/domain/china-time';
import {
  buildTimeSampler,
  computeHourFactor,
  computeSeasonalFactor,
  computeWeekdayFactor,
  sampleTimeMs,
  springFestivalDayNumber,
} from '../../../data/generator/disputes-rhythm';
import { createRng } from '../../../server/analysis/random';

const T = (key: (typeof DISPUTE_TYPE_KEYS)[number]): number => DISPUTE_TYPE_KEYS.indexOf(key);
/** Local (UTC+8) midnight of a date, as ms since epoch. */
const localMidnight = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) - CHINA_UTC_OFFSET_MS;

describe('dispute report rhythm', () => {
  it('has weekday factors with mean 1 and the fewest reports on Sunday (local time)', () => {
    const monday = localMidnight(2025, 3, 3);
    const factors = Array.from({ length: 7 }, (_, d) => computeWeekdayFactor(monday + d * MS_PER_DAY + 12 * MS_PER_HOUR));
    expect(factors.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 6);
    expect(Math.min(...factors)).toBe(factors[6]);
    // 23:30 local on Sunday is still Sunday although it is Sunday 15:30 UTC; 00:30 local Monday is Monday.
    expect(computeWeekdayFactor(monday - 0.5 * MS_PER_HOUR)).toBe(factors[6]);
    expect(computeWeekdayFactor(monday + 0.5 * MS_PER_HOUR)).toBe(factors[0]);
  });

  it('has hour factors with mean 1, busy mornings and quiet nights', () => {
    const day = localMidnight(2025, 3, 4);
    const factors = Array.from({ length: 24 }, (_, h) => computeHourFactor(day + (h + 0.5) * MS_PER_HOUR));
    expect(factors.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 6);
    expect(factors[10]!).toBeGreaterThan(5 * factors[3]!);
  });

  it('knows the Spring Festival dates', () => {
    expect(springFestivalDayNumber(2025)).toBe(Date.UTC(2025, 0, 29) / MS_PER_DAY);
    expect(springFestivalDayNumber(2024)).toBe(Date.UTC(2024, 1, 10) / MS_PER_DAY);
  });

  it('averages each seasonal factor to about 1 over a year, with the documented bumps', () => {
    const start = localMidnight(2024, 7, 1);
    for (let t = 0; t < DISPUTE_TYPE_KEYS.length; t++) {
      let sum = 0;
      for (let d = 0; d < 365; d++) sum += computeSeasonalFactor(t, start + (d + 0.5) * MS_PER_DAY);
      expect(sum / 365, DISPUTE_TYPE_KEYS[t]).toBeGreaterThan(0.95);
      expect(sum / 365, DISPUTE_TYPE_KEYS[t]).toBeLessThan(1.05);
    }
    const festival = springFestivalDayNumber(2025) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
    const september = localMidnight(2024, 9, 10);
    expect(computeSeasonalFactor(T('wages'), festival - 20 * MS_PER_DAY)).toBeGreaterThan(1.8 * computeSeasonalFactor(T('wages'), september));
    expect(computeSeasonalFactor(T('family'), festival + 7 * MS_PER_DAY)).toBeGreaterThan(1.5 * computeSeasonalFactor(T('family'), september));
    const april = localMidnight(2025, 4, 20);
    const january = localMidnight(2025, 1, 10);
    expect(computeSeasonalFactor(T('land'), april)).toBeGreaterThan(2 * computeSeasonalFactor(T('land'), january));
    // The holiday week is quiet for everything but family disputes.
    expect(computeSeasonalFactor(T('consumer'), festival + 2 * MS_PER_DAY)).toBeLessThan(computeSeasonalFactor(T('consumer'), september));
  });

  it('samples times inside the window with the intensity given (partial first and last hours included)', () => {
    const from = Date.UTC(2025, 0, 1, 0, 30);
    const to = Date.UTC(2025, 0, 1, 4, 15);
    // Intensity 1 in hours 0 and 1 (UTC), 3 afterwards.
    const sampler = buildTimeSampler(from, to, (ms) => (ms < Date.UTC(2025, 0, 1, 2) ? 1 : 3));
    expect(sampler.totalWeight).toBeCloseTo(0.5 + 1 + 3 + 3 + 3 * 0.25, 9);
    const rng = createRng(11);
    let early = 0;
    const n = 20_000;
    for (let k = 0; k < n; k++) {
      const ms = sampleTimeMs(sampler, rng.next(), rng.next());
      expect(ms).toBeGreaterThanOrEqual(from);
      expect(ms).toBeLessThan(to);
      if (ms < Date.UTC(2025, 0, 1, 2)) early++;
    }
    expect(Math.abs(early / n - 1.5 / 8.25)).toBeLessThan(0.01);
  });
});
