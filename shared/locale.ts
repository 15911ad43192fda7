/** The languages the app speaks: every text a customer or operator reads exists in both. */
export const LOCALES = ['ru', 'en'] as const
export type Locale = (typeof LOCALES)[number]

// Speakers of these mostly read Russian better than English: they get the Russian texts.
const RUSSIAN_READERS = /^(ru|uk|be|kk)\b/i

/** Telegram's `language_code` (or a browser's language) to one of our locales. */
export function localeOf(languageCode: string | null | undefined): Locale {
  return languageCode && RUSSIAN_READERS.test(languageCode) ? 'ru' : 'en'
}

/** The locale the user chose in the app when they did, else the one their Telegram language suggests. */
export function resolveLocale(chosen: string | null | undefined, languageCode: string | null | undefined): Locale {
  return chosen === 'ru' || chosen === 'en' ? chosen : localeOf(languageCode)
}

export const isLocale = (value: unknown): value is Locale => value === 'ru' || value === 'en'
