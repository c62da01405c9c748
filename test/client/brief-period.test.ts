// The briefing's periods on the China calendar: presets at month, quarter and year edges (and at China
// midnight, not UTC's), custom ranges checked before they are asked for, ?period= read and written, the
// windows of the emerging hot spot and boundary-risk analyses, and the same day strings all day long.

import { describe, expect, it } from 'vitest';
import { CHINA_UTC_OFFSET_MS, MS_PER_DAY, chinaDayStartMs } from '../../server/domain/china-time';
import {
  DEFAULT_PERIOD,
  MAX_PERIOD_DAYS,
  addDays,
  boundaryWindow,
  checkRange,
  chinaToday,
  emergingWindow,
  parseDayKey,
  patrolOverdue,
  periodFromParam,
  periodParam,
  rangeDays,
  resolvePeriod,
  type PeriodPreset,
} from '../../client/src/modes/brief/brief-period';

const preset = (name: PeriodPreset) => ({ kind: 'preset', preset: name }) as const;

describe('resolvePeriod', () => {
  it('runs this month, this quarter and this year from their first day to today', () => {
    expect(resolvePeriod(preset('this-month'), '2026-12-07')).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(resolvePeriod(preset('this-quarter'), '2026-12-07')).toEqual({ from: '2026-10-01', to: '2026-12-07' });
    expect(resolvePeriod(preset('this-year'), '2026-12-07')).toEqual({ from: '2026-01-01', to: '2026-12-07' });
  });

  it('covers one day on the first of a month, quarter or year', () => {
    expect(resolvePeriod(preset('this-month'), '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(resolvePeriod(preset('this-quarter'), '2026-07-01')).toEqual({ from: '2026-07-01', to: '2026-07-01' });
    expect(resolvePeriod(preset('this-year'), '2027-01-01')).toEqual({ from: '2027-01-01', to: '2027-01-01' });
  });

  it('cuts quarters at January, April, July and October', () => {
    const quarterStart = (today: string) => resolvePeriod(preset('this-quarter'), today).from;
    expect(['2026-01-01', '2026-02-14', '2026-03-31'].map(quarterStart)).toEqual(['2026-01-01', '2026-01-01', '2026-01-01']);
    expect(['2026-04-01', '2026-05-20', '2026-06-30'].map(quarterStart)).toEqual(['2026-04-01', '2026-04-01', '2026-04-01']);
    expect(['2026-07-01', '2026-08-31', '2026-09-30'].map(quarterStart)).toEqual(['2026-07-01', '2026-07-01', '2026-07-01']);
    expect(['2026-10-01', '2026-11-30', '2026-12-31'].map(quarterStart)).toEqual(['2026-10-01', '2026-10-01', '2026-10-01']);
  });

  it('takes last month whole, to its last day (30, 31, 28 or 29), across a year end', () => {
    expect(resolvePeriod(preset('last-month'), '2026-12-07')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(resolvePeriod(preset('last-month'), '2026-11-01')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(resolvePeriod(preset('last-month'), '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolvePeriod(preset('last-month'), '2028-03-15')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(resolvePeriod(preset('last-month'), '2027-01-01')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('passes a custom range as it is', () => {
    expect(resolvePeriod({ kind: 'custom', from: '2026-10-01', to: '2026-10-31' }, '2026-12-07')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });
});

describe('chinaToday', () => {
  it('turns the day at China midnight (16:00 UTC), not at UTC midnight', () => {
    const chinaMidnight = chinaDayStartMs({ year: 2026, month: 11, day: 1 });
    expect(chinaMidnight).toBe(Date.UTC(2026, 9, 31, 16));
    expect(chinaToday(chinaMidnight - 1)).toBe('2026-10-31');
    expect(chinaToday(chinaMidnight)).toBe('2026-11-01');
    // At 00:30 China time on 1 November UTC still says 31 October, yet this month is November.
    expect(new Date(chinaMidnight + 30 * 60_000).toISOString().slice(0, 10)).toBe('2026-10-31');
    expect(resolvePeriod(preset('this-month'), chinaToday(chinaMidnight + 30 * 60_000))).toEqual({ from: '2026-11-01', to: '2026-11-01' });
    expect(resolvePeriod(preset('last-month'), chinaToday(chinaMidnight + 30 * 60_000))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('asks the same days from the first to the last millisecond of a China day (stable, cacheable URLs)', () => {
    const start = chinaDayStartMs({ year: 2026, month: 12, day: 7 });
    const asked = [start, start + 1, start + MS_PER_DAY / 2, start + MS_PER_DAY - 1].map((ms) =>
      PRESETS.map((name) => resolvePeriod(preset(name), chinaToday(ms))),
    );
    for (const answer of asked) expect(answer).toEqual(asked[0]);
    expect(chinaToday(start + MS_PER_DAY)).toBe('2026-12-08');
    expect(CHINA_UTC_OFFSET_MS).toBe(8 * 3_600_000);
  });
});

const PRESETS: PeriodPreset[] = ['this-month', 'last-month', 'this-quarter', 'this-year'];

describe('checkRange', () => {
  const today = '2026-12-07';
  it('accepts calendar dates in order, up to today, at most 800 days (one day too)', () => {
    expect(checkRange('2026-10-01', '2026-10-31', today)).toBeNull();
    expect(checkRange('2026-12-07', '2026-12-07', today)).toBeNull();
    const longest = addDays(today, -(MAX_PERIOD_DAYS - 1));
    expect(rangeDays({ from: longest, to: today })).toBe(MAX_PERIOD_DAYS);
    expect(checkRange(longest, today, today)).toBeNull();
    expect(checkRange(addDays(longest, -1), today, today)).toBe('tooLong');
  });

  it('refuses what is not a date, a range backwards and one reaching past today', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-1-5', '26-01-05', 'today', '']) {
      expect(checkRange(bad, '2026-10-31', today), bad).toBe('invalid');
    }
    expect(checkRange('2028-02-29', '2028-02-29', '2028-03-01')).toBeNull();
    expect(checkRange('2026-02-29', '2026-03-01', today)).toBe('invalid');
    expect(checkRange('2026-10-31', '2026-10-01', today)).toBe('order');
    expect(checkRange('2026-12-01', '2026-12-08', today)).toBe('future');
  });
});

describe('?period=', () => {
  const today = '2026-12-07';
  it('reads presets and custom ranges, and writes them back the same', () => {
    for (const name of PRESETS) {
      const { spec, invalid } = periodFromParam(name, today);
      expect(invalid).toBe(false);
      expect(spec).toEqual(preset(name));
      expect(periodParam(spec)).toBe(name);
    }
    const custom = periodFromParam('2026-10-01..2026-10-31', today);
    expect(custom).toEqual({ spec: { kind: 'custom', from: '2026-10-01', to: '2026-10-31' }, invalid: false });
    expect(periodParam(custom.spec)).toBe('2026-10-01..2026-10-31');
  });

  it('shows this month when absent, and flags a malformed or refused period', () => {
    expect(periodFromParam(null, today)).toEqual({ spec: DEFAULT_PERIOD, invalid: false });
    expect(periodFromParam('', today)).toEqual({ spec: DEFAULT_PERIOD, invalid: false });
    expect(DEFAULT_PERIOD).toEqual(preset('this-month'));
    for (const bad of ['yesterday', 'THIS-MONTH', '2026-10-01', '2026-10-01..', '2026-10-31..2026-10-01', '2026-10-01..2026-12-31', '2026-02-30..2026-03-01']) {
      expect(periodFromParam(bad, today), bad).toEqual({ spec: DEFAULT_PERIOD, invalid: true });
    }
  });
});

describe('analysis windows', () => {
  it('looks for emerging hot spots over at least 12 weekly slices to the period end, monthly over a year', () => {
    expect(emergingWindow({ from: '2026-12-01', to: '2026-12-07' })).toEqual({ from: '2026-09-15', to: '2026-12-07', slice: 'week' });
    expect(rangeDays(emergingWindow({ from: '2026-12-01', to: '2026-12-07' }))).toBe(84);
    expect(emergingWindow({ from: '2026-01-01', to: '2026-06-30' })).toEqual({ from: '2026-01-01', to: '2026-06-30', slice: 'week' });
    expect(emergingWindow({ from: '2025-12-08', to: '2026-12-07' })).toEqual({ from: '2025-12-08', to: '2026-12-07', slice: 'month' });
  });

  it('measures boundary risk over at least the 90 days to the period end', () => {
    expect(boundaryWindow({ from: '2026-10-01', to: '2026-10-31' })).toEqual({ from: '2026-08-03', to: '2026-10-31' });
    expect(rangeDays(boundaryWindow({ from: '2026-10-01', to: '2026-10-31' }))).toBe(90);
    expect(boundaryWindow({ from: '2026-01-01', to: '2026-12-07' })).toEqual({ from: '2026-01-01', to: '2026-12-07' });
  });

  it('counts a joint patrol as missing when there is none, or it is more than 90 days before the period end', () => {
    expect(patrolOverdue(null, '2026-10-31')).toBe(true);
    expect(patrolOverdue('2026-08-02', '2026-10-31')).toBe(false);
    expect(patrolOverdue('2026-08-01', '2026-10-31')).toBe(true);
    expect(patrolOverdue('2026-11-20', '2026-10-31')).toBe(false);
  });
});

describe('day keys', () => {
  it('parse only calendar dates and step across months and leap days', () => {
    expect(parseDayKey('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseDayKey('2027-02-29')).toBeNull();
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
