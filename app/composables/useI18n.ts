import ru, { type FirstMessages } from '~/i18n/ru'
import type { MoreMessages } from '~/i18n/ru.more'
import { formatMoney } from '#shared/money'
import { LOCALES, localeOf, type Locale } from '#shared/locale'

export { LOCALES, type Locale }

/** Both halves of a locale: sections present in both (errors, cart, orders) are merged. */
type Merge<A, B> = {
  [K in keyof A | keyof B]: K extends keyof A ? (K extends keyof B ? A[K] & B[K] : A[K]) : K extends keyof B ? B[K] : never
}
export type Messages = Merge<FirstMessages, MoreMessages>
/** `admin`: the staff screens' strings, added by /admin itself (`addMessages`), read as `admin.…` keys. */
type Part = 'first' | 'more' | 'admin'
type Dictionary = Record<string, unknown>

/**
 * Dictionaries come in two parts per locale (JS budget): `first` (what the first screen needs;
 * Russian, the default and the fallback, ships with the app) and `more` (every other screen and
 * the sandbox), loaded after the first screen has painted or before another screen opens
 * (`loadMoreMessages`). Nobody downloads a language they do not read.
 */
const loaded = shallowReactive<Record<Locale, Partial<Record<Part, Dictionary>>>>({ ru: { first: ru }, en: {} })
const loaders: Record<Locale, Partial<Record<Part, () => Promise<{ default: Dictionary }>>>> = {
  ru: { more: () => import('~/i18n/ru.more') },
  en: { first: () => import('~/i18n/en'), more: () => import('~/i18n/en.more') },
}
const loading = new Map<string, Promise<void>>()
let moreWanted = false

function loadPart(locale: Locale, part: Part): Promise<void> {
  if (loaded[locale][part]) return Promise.resolve()
  const key = `${locale}:${part}`
  if (!loading.has(key)) {
    loading.set(key, loaders[locale][part]!().then(
      (m) => addMessages(locale, part, m.default),
      () => void loading.delete(key),
    ))
  }
  return loading.get(key)!
}

/** Adds a part of a locale's dictionary (the admin brings its own, so the Mini App never ships it). */
export function addMessages(locale: Locale, part: Part, messages: Dictionary): void {
  loaded[locale] = { ...loaded[locale], [part]: messages }
}

/** Loads a locale's dictionary (once; with its second part once that is wanted); `t()` falls back to Russian meanwhile. */
export function loadLocale(locale: Locale): Promise<void> {
  return Promise.all([loadPart(locale, 'first'), moreWanted ? loadPart(locale, 'more') : undefined]).then(() => {})
}

/** Loads every screen's strings for `locale` (and Russian, the fallback). */
export function loadMoreMessages(locale: Locale): Promise<void> {
  moreWanted = true
  return Promise.all([loadPart('ru', 'more'), loadLocale(locale)]).then(() => {})
}

/** Dotted paths to every string in the dictionaries, e.g. `errors.auth_expired.title`. */
export type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Paths<Messages>

/** The locale /api/me returned last for this person (kept in this browser), so a saved choice shows from the first frame. */
const localeKey = (userId: number | null) => `tma:locale:${userId}`
export const rememberedLocale = (userId: number | null): Locale | null => {
  try {
    const value = localStorage.getItem(localeKey(userId))
    return value === 'ru' || value === 'en' ? value : null
  } catch {
    return null
  }
}
export const rememberLocale = (userId: number, locale: Locale) => {
  try {
    localStorage.setItem(localeKey(userId), locale)
  } catch {}
}

/** Telegram's language_code (or the browser's) to one of our locales: Russian for ru*, English otherwise. */
export const toLocale = (code: string | null | undefined): Locale => localeOf(code)

function lookupIn(messages: Dictionary | undefined, key: string): string | undefined {
  let node: unknown = messages
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return typeof node === 'string' ? node : undefined
}
/** A string from the locale's loaded parts. */
function lookup(locale: Locale, key: string): string | undefined {
  for (const part of Object.values(loaded[locale])) {
    const text = lookupIn(part, key)
    if (text !== undefined) return text
  }
}

/** A tiny typed i18n: `t('home.greeting', { name })`, money and dates through Intl for the current locale. */
export function useI18n() {
  const locale = useState<Locale>('locale', () => 'ru')
  function t(key: MessageKey, params?: Record<string, string | number>): string {
    if (!loaded[locale.value].first) void loadLocale(locale.value)
    const text = lookup(locale.value, key) ?? lookup('ru', key) ?? key
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text
  }
  /** Whether a key exists (error codes from the server may be new to this client). */
  const has = (key: string) => (lookup(locale.value, key) ?? lookup('ru', key)) !== undefined
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale.value)
  const date = (value: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' }) =>
    new Intl.DateTimeFormat(locale.value, options).format(value)
  return { locale, t, has, money, date }
}
