import ru, { type Messages } from '~/i18n/ru'

export type Locale = 'ru' | 'en'
export const LOCALES: readonly Locale[] = ['ru', 'en']
/**
 * Russian (the default and the fallback) ships with the app; other dictionaries load when a
 * person's locale needs them, so nobody downloads a language they do not read (JS budget).
 */
const dictionaries = shallowReactive<Partial<Record<Locale, Messages>>>({ ru })
const loaders: Record<Exclude<Locale, 'ru'>, () => Promise<{ default: Messages }>> = { en: () => import('~/i18n/en') }
const loading = new Map<Locale, Promise<void>>()

/** Loads a locale's dictionary (once); `t()` falls back to Russian until it is there. */
export function loadLocale(locale: Locale): Promise<void> {
  if (dictionaries[locale]) return Promise.resolve()
  if (!loading.has(locale)) {
    loading.set(locale, loaders[locale as Exclude<Locale, 'ru'>]().then(
      (m) => void (dictionaries[locale] = m.default),
      () => void loading.delete(locale),
    ))
  }
  return loading.get(locale)!
}

/** Dotted paths to every string in the dictionaries, e.g. `errors.auth_expired.title`. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>
}[keyof T & string]
export type MessageKey = Paths<Messages>

/** Telegram's language_code (or the browser's) to one of our locales: Russian for ru*, English otherwise. */
export function toLocale(code: string | null | undefined): Locale {
  return code?.toLowerCase().startsWith('ru') ? 'ru' : 'en'
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return typeof node === 'string' ? node : undefined
}

/** A tiny typed i18n: `t('home.greeting', { name })`, money and dates through Intl for the current locale. */
export function useI18n() {
  const locale = useState<Locale>('locale', () => 'ru')
  function t(key: MessageKey, params?: Record<string, string | number>): string {
    const messages = dictionaries[locale.value]
    if (!messages) void loadLocale(locale.value)
    const text = (messages && lookup(messages, key)) ?? lookup(ru, key) ?? key
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text
  }
  /** Whether a key exists (error codes from the server may be new to this client). */
  const has = (key: string) => lookup(dictionaries[locale.value] ?? ru, key) !== undefined
  const money = (minor: number, currency: string) =>
    new Intl.NumberFormat(locale.value, { style: 'currency', currency, minimumFractionDigits: minor % 100 === 0 ? 0 : 2 }).format(minor / 100)
  const date = (value: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' }) =>
    new Intl.DateTimeFormat(locale.value, options).format(value)
  return { locale, t, has, money, date }
}
