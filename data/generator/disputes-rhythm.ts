// When disputes are reported: relative intensity by dispute type and time (seasonal bumps anchored on the
// Spring Festival or the day of the year × weekday × hour of day, all in China Standard Time), and a
// sampler that draws report times from such an intensity by inverse CDF over hourly slots.

import { DISPUTE_TYPE_KEYS, type DisputeType } from '../../server/domain/dispute-categories';
import { CHINA_UTC_OFFSET_MS, MS_PER_DAY, MS_PER_HOUR } from '../../server/domain/china-time';


/** 正月初一 (Gregorian month, day) by year; outside the table the festival is taken as 5 February. */
const SPRING_FESTIVAL_DATES: Readonly<Record<number, readonly [number, number]>> = {
  2015: [2, 19], 2016: [2, 8], 2017: [1, 28], 2018: [2, 16], 2019: [2, 5], 2020: [1, 25], 2021: [2, 12],
  2022: [2, 1], 2023: [1, 22], 2024: [2, 10], 2025: [1, 29], 2026: [2, 17], 2027: [2, 6], 2028: [1, 26],
  2029: [2, 13], 2030: [2, 3], 2031: [1, 23], 2032: [2, 11], 2033: [1, 31], 2034: [2, 19], 2035: [2, 8],
  2036: [1, 28], 2037: [2, 15], 2038: [2, 4], 2039: [1, 24], 2040: [2, 12],
};

/** Local (UTC+8) day number of the Spring Festival of `year` (days since 1970-01-01). */
export function springFestivalDayNumber(year: number): number {
  const [month, day] = SPRING_FESTIVAL_DATES[year] ?? [2, 5];
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Sunday first (Date.getUTCDay order); fewer reports at weekends, fewest on Sunday. Mean 1. */
const WEEKDAY_FACTORS = [0.8, 1.08, 1.06, 1.05, 1.05, 1.04, 0.92] as const;

/** Reports by local hour: office-hours peaks, an evening shoulder (neighbour noise), quiet nights. Mean 1. */
const HOUR_FACTORS: readonly number[] = (() => {
  const raw = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 1.9, 1.6, 1.1, 1.3, 1.7, 1.8, 1.6, 1.3, 1.1, 1.1, 1.0, 0.8, 0.5, 0.3];
  const mean = raw.reduce((sum, value) => sum + value, 0) / raw.length;
  return raw.map((value) => value / mean);
})();

interface SeasonalBump {
  /** Centre relative to the Spring Festival (days, negative = before) or a day of the year (1–365). */
  anchor: 'springFestival' | 'dayOfYear';
  centerDays: number;
  sigmaDays: number;
  amplitude: number;
}

interface SeasonalProfile {
  base: number;
  bumps: readonly SeasonalBump[];
  /** Factor during the Spring Festival holiday (eve to 初六), when offices are closed. */
  holidayFactor: number;
}

const sf = (centerDays: number, sigmaDays: number, amplitude: number): SeasonalBump => ({ anchor: 'springFestival', centerDays, sigmaDays, amplitude });
const doy = (centerDays: number, sigmaDays: number, amplitude: number): SeasonalBump => ({ anchor: 'dayOfYear', centerDays, sigmaDays, amplitude });

/** Mild seasonality per type; why each bump is there is in the comment beside it. */
const SEASONAL_PROFILES: Readonly<Record<DisputeType, SeasonalProfile>> = {
  family: { base: 1, bumps: [sf(7, 12, 0.9)], holidayFactor: 1 }, // family gatherings at and after the festival
  neighbour: { base: 1, bumps: [doy(200, 45, 0.3)], holidayFactor: 0.6 }, // summer: open windows, outdoor life
  property: { base: 1, bumps: [doy(318, 20, 0.4)], holidayFactor: 0.6 }, // heating season starts in November
  wages: { base: 1, bumps: [sf(-20, 18, 1.2)], holidayFactor: 0.5 }, // wage arrears before the festival
  land: { base: 0.75, bumps: [doy(110, 20, 0.8), doy(275, 20, 0.8)], holidayFactor: 0.6 }, // spring ploughing, autumn harvest
  boundary: { base: 0.75, bumps: [doy(110, 20, 0.8), doy(275, 20, 0.8)], holidayFactor: 0.6 },
  consumer: { base: 1, bumps: [doy(316, 10, 0.3)], holidayFactor: 0.7 }, // after the 11.11 sales
  traffic: { base: 1, bumps: [sf(-10, 15, 0.3)], holidayFactor: 0.8 }, // festival travel rush
  medical: { base: 1, bumps: [], holidayFactor: 0.7 },
  contract: { base: 1, bumps: [sf(-25, 20, 0.5)], holidayFactor: 0.6 }, // debts settled before the new year
  other: { base: 1, bumps: [], holidayFactor: 0.7 },
};

const PROFILES_BY_TYPE: readonly SeasonalProfile[] = DISPUTE_TYPE_KEYS.map((key) => SEASONAL_PROFILES[key]);
/** Year-mean of each profile (Gaussian integrals; the short holiday dip is ignored), to normalise to mean 1. */
const PROFILE_MEANS: readonly number[] = PROFILES_BY_TYPE.map(
  (profile) => profile.base + profile.bumps.reduce((sum, bump) => sum + (bump.amplitude * bump.sigmaDays * Math.sqrt(2 * Math.PI)) / 365.25, 0),
);

/**
 * Seasonal factor (mean ≈ 1 over a year) of dispute type `typeIndex` (index into DISPUTE_TYPES) at `ms`
 * (ms since epoch).
 */
export function computeSeasonalFactor(typeIndex: number, ms: number): number {
  const profile = PROFILES_BY_TYPE[typeIndex]!;
  const localMs = ms + CHINA_UTC_OFFSET_MS;
  const dayNumber = localMs / MS_PER_DAY;
  const date = new Date(localMs);
  const year = date.getUTCFullYear();
  const dayOfYear = (localMs - Date.UTC(year, 0, 1)) / MS_PER_DAY + 1;
  let value = profile.base;
  for (const bump of profile.bumps) {
    if (bump.anchor === 'springFestival') {
      for (let y = year - 1; y <= year + 1; y++) {
        const z = (dayNumber - springFestivalDayNumber(y) - bump.centerDays) / bump.sigmaDays;
        value += bump.amplitude * Math.exp(-0.5 * z * z);
      }
    } else {
      let delta = Math.abs(dayOfYear - bump.centerDays) % 365.25;
      if (delta > 182.625) delta = 365.25 - delta;
      const z = delta / bump.sigmaDays;
      value += bump.amplitude * Math.exp(-0.5 * z * z);
    }
  }
  const sinceFestival = Math.floor(dayNumber) - springFestivalDayNumber(year);
  if (sinceFestival >= -1 && sinceFestival <= 5) value *= profile.holidayFactor;
  return value / PROFILE_MEANS[typeIndex]!;
}

/** Weekday factor (mean 1 over a week) at `ms`, local time. */
export function computeWeekdayFactor(ms: number): number {
  const day = Math.floor((ms + CHINA_UTC_OFFSET_MS) / MS_PER_DAY);
  // 1970-01-01 was a Thursday (getUTCDay 4).
  return WEEKDAY_FACTORS[(((day + 4) % 7) + 7) % 7]!;
}

/** Hour-of-day factor (mean 1 over a day) at `ms`, local time. */
export function computeHourFactor(ms: number): number {
  const hour = Math.floor((ms + CHINA_UTC_OFFSET_MS) / MS_PER_HOUR);
  return HOUR_FACTORS[((hour % 24) + 24) % 24]!;
}

/** Relative report intensity of a dispute type at `ms`: seasonal × weekday × hour, mean ≈ 1 over a year. */
export function computeReportIntensity(typeIndex: number, ms: number): number {
  return computeSeasonalFactor(typeIndex, ms) * computeWeekdayFactor(ms) * computeHourFactor(ms);
}

/** Piecewise-constant intensity over hourly slots (aligned to whole UTC hours) with its cumulative weight. */
export interface TimeSampler {
  slotStartMs: Float64Array;
  slotEndMs: Float64Array;
  /** cumulativeWeight[i] = sum of the weights of slots 0..i (weight = intensity × slot hours). */
  cumulativeWeight: Float64Array;
  totalWeight: number;
}

/**
 * Hourly slots covering [fromMs, toMs) (the first and last may be partial), weighted by
 * `intensityAt(slot midpoint) × slot length in hours`.
 */
export function buildTimeSampler(fromMs: number, toMs: number, intensityAt: (ms: number) => number): TimeSampler {
  const firstHourMs = Math.floor(fromMs / MS_PER_HOUR) * MS_PER_HOUR;
  const slotCount = Math.max(0, Math.ceil((toMs - firstHourMs) / MS_PER_HOUR));
  const slotStartMs = new Float64Array(slotCount);
  const slotEndMs = new Float64Array(slotCount);
  const cumulativeWeight = new Float64Array(slotCount);
  let total = 0;
  for (let i = 0; i < slotCount; i++) {
    const start = Math.max(fromMs, firstHourMs + i * MS_PER_HOUR);
    const end = Math.min(toMs, firstHourMs + (i + 1) * MS_PER_HOUR);
    slotStartMs[i] = start;
    slotEndMs[i] = end;
    if (end > start) total += intensityAt((start + end) / 2) * ((end - start) / MS_PER_HOUR);
    cumulativeWeight[i] = total;
  }
  return { slotStartMs, slotEndMs, cumulativeWeight, totalWeight: total };
}

/** A time in [fromMs, toMs) drawn from the sampler's intensity; `u`, `v` uniform in [0, 1). */
export function sampleTimeMs(sampler: TimeSampler, u: number, v: number): number {
  const target = u * sampler.totalWeight;
  const cumulative = sampler.cumulativeWeight;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  const start = sampler.slotStartMs[low]!;
  return start + v * (sampler.slotEndMs[low]! - start);
}
