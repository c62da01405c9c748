// The briefing's period as the URL writes it (?period=this-month | last-month | this-quarter | this-year |
// 2026-10-01..2026-10-31), resolved against today's China-time date into the 'YYYY-MM-DD' days the API
// takes: the same day always asks the same URLs, which a service worker can answer offline. Shared by
// the client and the server, which names the briefing's first answers in the page's Link header.

import { MS_PER_DAY, formatChinaDate, isCalendarDate, type CalendarDate } from './china-time';

export const PERIOD_PRESETS = ['this-month', 'last-month', 'this-quarter', 'this-year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A China-time calendar day, "2026-10-31". */
export type DayKey = string;

export type PeriodSpec = { kind: 'preset'; preset: PeriodPreset } | { kind: 'custom'; from: DayKey; to: DayKey };

/** The days a period covers, both included (the API reads a date `from` as its start, `to` as its end). */
export interface DayRange {
  from: DayKey;
  to: DayKey;
}

export const DEFAULT_PERIOD: PeriodSpec = { kind: 'preset', preset: 'this-month' };

/** The longest custom range, days (the hot spot analyses take at most 800). */
export const MAX_PERIOD_DAYS = 800;

/** Why a custom range is refused. */
export type RangeError = 'invalid' | 'order' | 'future' | 'tooLong';

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CUSTOM = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** The calendar date of a day key, or null when it is malformed or not a date (2026-02-30). */
export function parseDayKey(key: string): CalendarDate | null {
  const match = DAY_KEY.exec(key);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isCalendarDate(date) && date.year >= 1970 ? date : null;
}

export function dayKeyOf({ year, month, day }: CalendarDate): DayKey {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whole days since 1970-01-01 of a valid day key. */
function dayNumber(key: DayKey): number {
  const { year, month, day } = parseDayKey(key)!;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function dayKeyOfNumber(days: number): DayKey {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day `days` after (or before) a valid day key. */
export function addDays(key: DayKey, days: number): DayKey {
  return dayKeyOfNumber(dayNumber(key) + days);
}

/** Days a range covers, both ends included. */
export function rangeDays({ from, to }: DayRange): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** Today's date in China time. */
export function chinaToday(nowMs: number): DayKey {
  return formatChinaDate(nowMs);
}

/** Whether a custom range can be asked for on `today`; the reason when not. */
export function checkRange(from: string, to: string, today: DayKey): RangeError | null {
  if (!parseDayKey(from) || !parseDayKey(to)) return 'invalid';
  if (to < from) return 'order';
  if (to > today) return 'future';
  if (rangeDays({ from, to }) > MAX_PERIOD_DAYS) return 'tooLong';
  return null;
}

/**
 * The period of ?period= on `today`: a preset, or a custom range that checkRange accepts. Absent: the
 * default (this month); malformed or refused: the default, flagged `invalid`.
 */
export function periodFromParam(text: string | null, today: DayKey): { spec: PeriodSpec; invalid: boolean } {
  if (text === null || text === '') return { spec: DEFAULT_PERIOD, invalid: false };
  if ((PERIOD_PRESETS as readonly string[]).includes(text)) return { spec: { kind: 'preset', preset: text as PeriodPreset }, invalid: false };
  const match = CUSTOM.exec(text);
  if (match && checkRange(match[1]!, match[2]!, today) === null) return { spec: { kind: 'custom', from: match[1]!, to: match[2]! }, invalid: false };
  return { spec: DEFAULT_PERIOD, invalid: true };
}

/** ?period= of a period. */
export function periodParam(spec: PeriodSpec): string {
  return spec.kind === 'preset' ? spec.preset : `${spec.from}..${spec.to}`;
}

/** The last day of a month. */
function monthEnd(year: number, month: number): DayKey {
  return dayKeyOfNumber(Date.UTC(year, month, 1) / MS_PER_DAY - 1);
}

/**
 * The days of a period on `today` (China calendar): this month, this quarter (January, April, July or
 * October to date) and this year run from their first day to today; last month is the whole previous
 * calendar month.
 */
export function resolvePeriod(spec: PeriodSpec, today: DayKey): DayRange {
  if (spec.kind === 'custom') return { from: spec.from, to: spec.to };
  const { year, month } = parseDayKey(today)!;
  switch (spec.preset) {
    case 'this-month':
      return { from: dayKeyOf({ year, month, day: 1 }), to: today };
    case 'last-month': {
      const previous = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
      return { from: dayKeyOf({ ...previous, day: 1 }), to: monthEnd(previous.year, previous.month) };
    }
    case 'this-quarter':
      return { from: dayKeyOf({ year, month: month - ((month - 1) % 3), day: 1 }), to: today };
    case 'this-year':
      return { from: dayKeyOf({ year, month: 1, day: 1 }), to: today };
  }
}

/** Emerging hot spots need ≥ 10 slices: weekly over at least the 12 weeks to the period's end, monthly over a year or more. */
export const EMERGING_MIN_WEEKS = 12;

/** The window and slices of the emerging hot spot analysis of a period. */
export function emergingWindow(range: DayRange): DayRange & { slice: 'week' | 'month' } {
  const days = rangeDays(range);
  if (days >= 365) return { ...range, slice: 'month' };
  return { from: days >= EMERGING_MIN_WEEKS * 7 ? range.from : addDays(range.to, -(EMERGING_MIN_WEEKS * 7 - 1)), to: range.to, slice: 'week' };
}

/** Boundary-line risk is measured over at least the 90 days to the period's end (a month holds too few cases per line). */
export const BOUNDARY_MIN_DAYS = 90;

export function boundaryWindow(range: DayRange): DayRange {
  return rangeDays(range) >= BOUNDARY_MIN_DAYS ? range : { from: addDays(range.to, -(BOUNDARY_MIN_DAYS - 1)), to: range.to };
}

/** Whether the last joint patrol (a day key, or null for none) is more than `days` before `asOf`. */
export function patrolOverdue(lastJointPatrol: string | null, asOf: DayKey, days = BOUNDARY_MIN_DAYS): boolean {
  if (lastJointPatrol === null || !parseDayKey(lastJointPatrol.slice(0, 10))) return true;
  return dayNumber(asOf) - dayNumber(lastJointPatrol.slice(0, 10)) > days;
}
