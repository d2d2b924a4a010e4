/** The languages mail is written in (§15); a person without a `locale` reads English. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export const localeOf = (person: { locale?: Locale | undefined }): Locale => person.locale ?? DEFAULT_LOCALE;
