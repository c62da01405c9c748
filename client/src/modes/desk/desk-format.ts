// Times and distances as the desk writes them: time left to a deadline in days/hours/minutes, step and
// report times in China time (zh-CN "12月7日 14:05", English "7 Dec, 14:05"), walking metres.

import { CHINA_TIME_ZONE } from '../../../../server/domain/china-time';
import { LOCALES } from '../../format';
import type { Lang } from '../../i18n';

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

const UNITS: Record<Lang, { day: string; hour: string; minute: string; join: string }> = {
  zh: { day: '天', hour: '小时', minute: '分钟', join: '' },
  en: { day: ' d', hour: ' h', minute: ' min', join: ' ' },
};

/**
 * A duration (ms, sign ignored) in its two largest units, rounded down: "2天3小时", "5小时12分钟",
 * "8分钟" / "2 d 3 h", "5 h 12 min", "8 min"; under a minute "0分钟" / "0 min".
 */
export function formatDuration(ms: number, lang: Lang): string {
  const u = UNITS[lang];
  const total = Math.abs(ms);
  const days = Math.floor(total / MS_PER_DAY);
  const hours = Math.floor((total % MS_PER_DAY) / MS_PER_HOUR);
  const minutes = Math.floor((total % MS_PER_HOUR) / MS_PER_MINUTE);
  if (days > 0) return hours > 0 ? `${days}${u.day}${u.join}${hours}${u.hour}` : `${days}${u.day}`;
  if (hours > 0) return minutes > 0 ? `${hours}${u.hour}${u.join}${minutes}${u.minute}` : `${hours}${u.hour}`;
  return `${minutes}${u.minute}`;
}

/** Time left to a deadline ("剩余 2天3小时"), or how long it is overdue ("已超期 5小时") once msLeft < 0. */
export function formatTimeLeft(msLeft: number, lang: Lang): string {
  const duration = formatDuration(msLeft, lang);
  if (lang === 'zh') return msLeft < 0 ? `已超期 ${duration}` : `剩余 ${duration}`;
  return msLeft < 0 ? `overdue by ${duration}` : `${duration} left`;
}

const caseTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
};

/** A moment (ms since epoch) in China time with date and minute: "2026年12月7日 14:05" / "7 Dec 2026, 14:05". */
export function formatCaseTime(ms: number, lang: Lang): string {
  return caseTimeFormats[lang].format(ms);
}

/** Walking metres: "850 米" / "1.2 公里"; English "850 m" / "1.2 km". */
export function formatWalkingMeters(meters: number, lang: Lang): string {
  if (meters < 1000) return lang === 'zh' ? `${Math.round(meters)} 米` : `${Math.round(meters)} m`;
  const km = (meters / 1000).toLocaleString(LOCALES[lang], { maximumFractionDigits: 1 });
  return lang === 'zh' ? `${km} 公里` : `${km} km`;
}

/**
 * The half of a bilingual system note ("中文 / English", as escalation by rule writes it) in the UI
 * language; a note without the separator as it is.
 */
export function noteInLanguage(note: string, lang: Lang): string {
  const separator = / ?\/ /.exec(note);
  if (!separator) return note;
  return (lang === 'zh' ? note.slice(0, separator.index) : note.slice(separator.index + separator[0].length)).trim() || note;
}
