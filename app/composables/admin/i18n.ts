import { ADMIN_MESSAGES, type AdminMessageKey } from './messages'
import type { AdminApiError } from './api'
import { formatMoney } from '#shared/money'

export type AdminLocale = 'ru' | 'en'
const STORAGE_KEY = 'admin.locale'

/** Russian for ru*, English otherwise. */
export const toAdminLocale = (code: string | null | undefined): AdminLocale => (code?.toLowerCase().startsWith('ru') ? 'ru' : 'en')

/** The operator's explicit choice (kept in this browser) beats the detected locale. */
function initialLocale(): AdminLocale {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'ru' || saved === 'en' ? saved : toAdminLocale(navigator.language)
}

/** The admin's i18n: `t(key, params)`, money in minor units and dates through Intl, a locale switch. */
export function useAdminI18n() {
  const locale = useState<AdminLocale>('admin-locale', initialLocale)
  const t = (key: AdminMessageKey, params?: Record<string, string | number>) => {
    const text = ADMIN_MESSAGES[locale.value][key] ?? key
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text
  }
  const has = (key: string): key is AdminMessageKey => key in ADMIN_MESSAGES[locale.value]
  function setLocale(next: AdminLocale, remember = true) {
    locale.value = next
    document.documentElement.lang = next
    if (remember) localStorage.setItem(STORAGE_KEY, next)
  }
  /** Adopt the signed-in user's locale unless the operator chose one in this browser. */
  const adoptUserLocale = (userLocale: AdminLocale) => !localStorage.getItem(STORAGE_KEY) && setLocale(userLocale, false)
  /** Money through the one shared helper (shared/money.ts): Telegram Stars as "250 ⭐". */
  const money = (minor: number, currency = 'RUB') => formatMoney(minor, currency, locale.value)
  const dateTime = (value: string | Date) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value))
  /** A server error in the operator's language when we know its code, else the server's own message. */
  const errorText = (error: unknown) => {
    const e = error as Partial<AdminApiError>
    const key = `errors.${e.code}`
    return has(key) ? t(key) : (e.message ?? String(error))
  }
  return { locale, t, has, setLocale, adoptUserLocale, money, dateTime, errorText }
}
