// How the briefing writes its figures: KPI values (shares as percentages, cases as counts with their
// counter), changes against a comparison period (percentage points for shares, cases and per cent for
// counts, better or worse by the KPI's direction) and periods as day ranges, in zh-CN or English.

import type { KpiDirection, KpiUnit } from '../../../../server/domain/kpis';
import { formatInteger, formatPercent } from '../../format';
import type { Lang } from '../../i18n';
import { parseDayKey, type DayRange } from './brief-period';

export type ChangeTone = 'better' | 'worse' | 'same';

/** A KPI value: "83.1%" for a share, "1,234件" / "1,234" for cases, "—" for none. */
export function formatKpiValue(value: number | null | undefined, unit: KpiUnit, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'share') return formatPercent(value, 1);
  return lang === 'zh' ? `${formatInteger(value, lang)}件` : formatInteger(value, lang);
}

export interface KpiChange {
  /** "▲1.2个百分点", "▼12件（−8.3%）", "持平" … */
  text: string;
  tone: ChangeTone;
}

const PP: Record<Lang, string> = { zh: '个百分点', en: ' pp' };
const SAME: Record<Lang, string> = { zh: '持平', en: 'no change' };
const MINUS = '−';

/**
 * The change from `reference` to `current`, or null when either is missing. Shares change by percentage
 * points (one decimal; under 0.05 points is "no change"), counts by cases and, where the reference is
 * not zero, by per cent. Better is up for 'higher' KPIs, down for 'lower' ones.
 */
export function formatKpiChange(
  current: number | null | undefined,
  reference: number | null | undefined,
  unit: KpiUnit,
  direction: KpiDirection,
  lang: Lang,
): KpiChange | null {
  if (current === null || current === undefined || reference === null || reference === undefined) return null;
  const difference = current - reference;
  const same = unit === 'share' ? Math.abs(difference * 100) < 0.05 : difference === 0;
  if (same) return { text: SAME[lang], tone: 'same' };
  const arrow = difference > 0 ? '▲' : '▼';
  const up = difference > 0;
  const tone: ChangeTone = up === (direction === 'higher') ? 'better' : 'worse';
  if (unit === 'share') return { text: `${arrow}${Math.abs(difference * 100).toFixed(1)}${PP[lang]}`, tone };
  const cases = lang === 'zh' ? `${formatInteger(Math.abs(difference), lang)}件` : formatInteger(Math.abs(difference), lang);
  if (reference === 0) return { text: `${arrow}${cases}`, tone };
  const percent = `${up ? '+' : MINUS}${Math.abs((difference / reference) * 100).toFixed(1)}%`;
  return { text: lang === 'zh' ? `${arrow}${cases}（${percent}）` : `${arrow}${cases} (${percent})`, tone };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A range of days as each language writes it, the shared parts once: "2026年10月1日至31日",
 * "2026年10月1日至12月7日", "2025年12月1日至2026年1月31日", "2026年10月5日"; "1–31 Oct 2026",
 * "1 Oct – 7 Dec 2026", "1 Dec 2025 – 31 Jan 2026", "5 Oct 2026".
 */
export function formatDayRange({ from, to }: DayRange, lang: Lang): string {
  const a = parseDayKey(from);
  const b = parseDayKey(to);
  if (!a || !b) return `${from} – ${to}`;
  const sameYear = a.year === b.year;
  const sameMonth = sameYear && a.month === b.month;
  if (lang === 'zh') {
    const start = `${a.year}年${a.month}月${a.day}日`;
    if (from === to) return start;
    const end = sameMonth ? `${b.day}日` : sameYear ? `${b.month}月${b.day}日` : `${b.year}年${b.month}月${b.day}日`;
    return `${start}至${end}`;
  }
  const end = `${b.day} ${EN_MONTHS[b.month - 1]} ${b.year}`;
  if (from === to) return end;
  if (sameMonth) return `${a.day}–${end}`;
  if (sameYear) return `${a.day} ${EN_MONTHS[a.month - 1]} – ${end}`;
  return `${a.day} ${EN_MONTHS[a.month - 1]} ${a.year} – ${end}`;
}

/** A day key as a short date: "10月31日" / "31 Oct" (with the year when it differs from `yearOf`). */
export function formatDay(key: string, lang: Lang, yearOf?: string): string {
  const date = parseDayKey(key.slice(0, 10));
  if (!date) return key;
  const withYear = yearOf === undefined || yearOf.slice(0, 4) !== key.slice(0, 4);
  if (lang === 'zh') return `${withYear ? `${date.year}年` : ''}${date.month}月${date.day}日`;
  return `${date.day} ${EN_MONTHS[date.month - 1]}${withYear ? ` ${date.year}` : ''}`;
}
