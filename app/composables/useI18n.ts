import ru, { type Messages } from '~/i18n/ru'
import en from '~/i18n/en'

export type Locale = 'ru' | 'en'
export const LOCALES: readonly Locale[] = ['ru', 'en']
const dictionaries: Record<Locale, Messages> = { ru, en }

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
    const text = lookup(dictionaries[locale.value], key) ?? lookup(ru, key) ?? key
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text
  }
  /** Whether a key exists (error codes from the server may be new to this client). */
  const has = (key: string) => lookup(dictionaries[locale.value], key) !== undefined
  const money = (minor: number, currency: string) =>
    new Intl.NumberFormat(locale.value, { style: 'currency', currency, minimumFractionDigits: minor % 100 === 0 ? 0 : 2 }).format(minor / 100)
  const date = (value: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' }) =>
    new Intl.DateTimeFormat(locale.value, options).format(value)
  return { locale, t, has, money, date }
}
