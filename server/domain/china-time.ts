// China time (UTC+8, no daylight saving): the one offset, calendar-checked parsing of the dates and
// times every API and CLI input takes, and the day and month arithmetic periods are cut by.

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** IANA name of China Standard Time, for Intl formatting on the client. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';
/** China Standard Time is UTC+8 all year. */
export const CHINA_UTC_OFFSET_MS = 8 * MS_PER_HOUR;

/** Earliest and (exclusive) latest instant any input may name: 1970-01-01T00:00Z … 3000-01-01T00:00Z. */
export const MIN_INSTANT_MS = 0;
export const MAX_INSTANT_MS = Date.UTC(3000, 0, 1);

export interface CalendarDate {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

/** Whether year-month-day names a day of the proleptic Gregorian calendar (2026-02-30 does not). */
export function isCalendarDate({ year, month, day }: CalendarDate): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** 00:00 China time of a calendar day, ms since epoch. */
export function chinaDayStartMs({ year, month, day }: CalendarDate): number {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() - CHINA_UTC_OFFSET_MS;
}

/** Which end of a period a date names: a date-only `from` is its day's start, a date-only `to` its day's end. */
export type InstantEdge = 'start' | 'end';

export type ParsedInstant = { ok: true; ms: number } | { ok: false; message: string };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

const RANGE_MESSAGE = 'must lie between 1970-01-01 and 2999-12-31';

function inRange(ms: number): ParsedInstant {
  return ms >= MIN_INSTANT_MS && ms < MAX_INSTANT_MS ? { ok: true, ms } : { ok: false, message: RANGE_MESSAGE };
}

/**
 * Parses a moment as every API and CLI input gives it:
 * - a number: ms since epoch (an integer);
 * - "YYYY-MM-DD": a day in China time — its start as `from` (edge 'start'), its end (the next day's
 *   00:00, exclusive) as `to` (edge 'end'), so "from 2026-10-01 to 2026-10-31" is the whole of October;
 * - "YYYY-MM-DDTHH:MM[:SS[.sss]]" with an explicit offset ("Z" or "+08:00"): that instant.
 * Dates are checked against the calendar (no 2026-02-30, no month 13) and the range 1970–2999.
 */
export function parseInstant(value: string | number, edge: InstantEdge): ParsedInstant {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return { ok: false, message: 'must be an integer number of ms since 1970-01-01T00:00Z' };
    return inRange(value);
  }
  const text = value.trim();
  const day = DATE_ONLY.exec(text);
  if (day) {
    const date = { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) };
    if (!isCalendarDate(date)) return { ok: false, message: `${text} is not a calendar date` };
    return inRange(chinaDayStartMs(date) + (edge === 'end' ? MS_PER_DAY : 0));
  }
  const time = DATE_TIME.exec(text);
  if (time) {
    const date = { year: Number(time[1]), month: Number(time[2]), day: Number(time[3]) };
    const [hour, minute, second] = [Number(time[4]), Number(time[5]), Number(time[6] ?? 0)];
    const offsetHours = Number(time[9] ?? 0);
    const offsetMinutes = Number(time[10] ?? 0);
    if (!isCalendarDate(date)) return { ok: false, message: `${text} is not a calendar date` };
    if (hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) {
      return { ok: false, message: `${text} is not a valid time of day or offset` };
    }
    const sign = time[8] === 'Z' ? 0 : time[8]!.startsWith('-') ? -1 : 1;
    const fraction = Number((time[7] ?? '0').padEnd(3, '0'));
    const utc = chinaDayStartMs(date) + CHINA_UTC_OFFSET_MS + ((hour * 60 + minute) * 60 + second) * 1000 + fraction;
    return inRange(utc - sign * (offsetHours * 60 + offsetMinutes) * MS_PER_MINUTE);
  }
  return { ok: false, message: 'must be a date like 2026-08-03 (China time) or an ISO 8601 time with an offset (2026-08-03T08:00:00+08:00)' };
}

/** The China-time calendar date of an instant. */
export function chinaDateOf(ms: number): CalendarDate {
  const local = new Date(ms + CHINA_UTC_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** "2026-10-01" for an instant, in China time. */
export function formatChinaDate(ms: number): string {
  return new Date(ms + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-10-01T08:00:00.000+08:00" for an instant. */
export function formatChinaDateTime(ms: number): string {
  return new Date(ms + CHINA_UTC_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Whole China-time days since 1970-01-01 of an instant. */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + CHINA_UTC_OFFSET_MS) / MS_PER_DAY);
}

/** 00:00 China time of the day holding `ms`. */
export function startOfChinaDay(ms: number): number {
  return chinaDayNumber(ms) * MS_PER_DAY - CHINA_UTC_OFFSET_MS;
}

/** 00:00 China time on the first of the month holding `ms`. */
export function chinaMonthStart(ms: number): number {
  const { year, month } = chinaDateOf(ms);
  return chinaDayStartMs({ year, month, day: 1 });
}

/** The first of the month `months` after (or before) the month starting at `monthStartMs`, China time. */
export function addChinaMonths(monthStartMs: number, months: number): number {
  const { year, month } = chinaDateOf(monthStartMs);
  const index = year * 12 + (month - 1) + months;
  return chinaDayStartMs({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
}

/** Hour of the day (0–23) in China time. */
export function chinaHourOf(ms: number): number {
  return Math.floor((ms + CHINA_UTC_OFFSET_MS) / MS_PER_HOUR) % 24;
}
