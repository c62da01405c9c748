// The two UI languages and a label in both: Chinese (the default) and English.

export type Lang = 'zh' | 'en';

export const LANGS: readonly Lang[] = ['zh', 'en'];

/** A name or label in Chinese and English. */
export interface Label {
  zh: string;
  en: string;
}
