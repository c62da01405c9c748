// What the offline banner says, in Chinese and English: "离线 · 数据截至 2026年12月7日 14:05" /
// "Offline · data as of 7 Dec 2026, 14:05" (China time, as every time in the atlas).

import { CHINA_TIME_ZONE } from '../../../server/domain/china-time';
import type { Lang } from '../i18n';
import { LOCALES } from '../format';

const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
};

export const OFFLINE_TEXT: Record<Lang, { offline: string; dataAsOf: string; unknownAge: string; codeFailed: string }> = {
  zh: { offline: '离线', dataAsOf: '数据截至 {time}', unknownAge: '无法连接服务器，显示已保存的数据', codeFailed: '页面未能加载，请检查网络后重试。' },
  en: {
    offline: 'Offline',
    dataAsOf: 'data as of {time}',
    unknownAge: 'the server is out of reach; showing saved data',
    codeFailed: 'This page could not be loaded: check the network and retry.',
  },
};

/** A time as the banner writes it: "2026年12月7日 14:05" / "7 Dec 2026, 14:05". */
export function formatDataTime(ms: number, lang: Lang): string {
  return dateTimeFormats[lang].format(ms);
}

/** The banner's sentence: offline, and since when the answers are (if the server was ever reached). */
export function offlineSentence(lang: Lang, lastServerAt: number | null): string {
  const text = OFFLINE_TEXT[lang];
  const detail = lastServerAt === null ? text.unknownAge : text.dataAsOf.replace('{time}', formatDataTime(lastServerAt, lang));
  return `${text.offline} · ${detail}`;
}
