// Numbers and dates as each UI language writes them: zh-CN conventions (万/亿, 2026年12月7日星期一) for
// Chinese, English (en-GB) conventions for English; times of day always in China time (Asia/Shanghai).

import { CHINA_TIME_ZONE } from '../../server/domain/china-time';
import type { Lang } from '../../server/domain/labels';

/** The Intl locale of each UI language. */
export const LOCALES: Readonly<Record<Lang, string>> = { zh: 'zh-CN', en: 'en-GB' };

const integerFormats: Record<Lang, Intl.NumberFormat> = {
  zh: new Intl.NumberFormat(LOCALES.zh, { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat(LOCALES.en, { maximumFractionDigits: 0 }),
};
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: CHINA_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const clockDateFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }),
};
const monthDayFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: CHINA_TIME_ZONE, month: '2-digit', day: '2-digit' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: CHINA_TIME_ZONE, month: '2-digit', day: '2-digit' }),
};
// Day keys ("2026-10-31") are China-time calendar days already: formatted as UTC dates, never shifted.
const dayKeyFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: 'UTC', month: '2-digit', day: '2-digit' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: 'UTC', month: 'short', day: 'numeric' }),
};

/** A whole number with thousands separators; "—" for no value. */
export function formatInteger(value: number | null | undefined, lang: Lang): string {
  return value === null || value === undefined ? '—' : integerFormats[lang].format(value);
}

/** A number with at most `maxDigits` decimals (1,234.5). */
export function formatDecimal(value: number, lang: Lang, maxDigits = 1): string {
  return value.toLocaleString(LOCALES[lang], { maximumFractionDigits: maxDigits });
}

/** A share 0…1 as a percentage with `digits` decimals ("82.4%"); "—" for no value. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)}%`;
}

/** Population in zh-CN convention: 782,628 → "78.26万", 42,591,407 → "4259.14万"; English: "782,628". */
export function formatPopulation(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (lang === 'en') return integerFormats.en.format(value);
  if (value >= 1e8) return `${(value / 1e8).toFixed(2)}亿`;
  if (value >= 1e4) return `${(value / 1e4).toFixed(2)}万`;
  return integerFormats.zh.format(value);
}

/** hh:mm:ss in China time (ms since epoch). */
export function formatChinaTime(ms: number): string {
  return timeFormat.format(ms);
}

/** The wall's date line in China time: "2026年12月7日星期一" / "Mon, 7 Dec 2026". */
export function formatClockDate(ms: number, lang: Lang): string {
  return clockDateFormats[lang].format(ms);
}

/** hh:mm for a time on the same China-time day as `nowMs`, else the month and day ("10/31" / "31/10"). */
export function formatEventTime(ms: number, nowMs: number, lang: Lang): string {
  const day = monthDayFormats[lang];
  return day.format(ms) === day.format(nowMs) ? formatChinaTime(ms).slice(0, 5) : day.format(ms);
}

/** A day key "YYYY-MM-DD" as an axis label: "10/31" / "31 Oct". Keys that are not dates are returned as they are. */
export function formatDayKey(key: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return key;
  return dayKeyFormats[lang].format(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}
