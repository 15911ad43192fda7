import type { AdminMessages } from '~/i18n/admin.ru'
import { addMessages, toLocale, useI18n, type Locale, type MessageKey, type Paths } from '~/composables/useI18n'
import type { ApiError } from '~/composables/useApi'
import { formatMoney } from '#shared/money'

export type AdminMessageKey = Paths<AdminMessages>

/** The staff member's explicit choice in this browser (beats their Telegram language). */
const STORAGE_KEY = 'admin.locale'
const DICTIONARIES: Record<Locale, () => Promise<{ default: AdminMessages }>> = {
  ru: () => import('~/i18n/admin.ru'),
  en: () => import('~/i18n/admin.en'),
}
const loading = new Map<Locale, Promise<void>>()

/** Adds /admin's strings for `locale` to the app's dictionaries (once), under `admin.`. */
function loadAdminPart(locale: Locale): Promise<void> {
  if (!loading.has(locale)) {
    const load = DICTIONARIES[locale]().then((m) => addMessages(locale, 'admin', { admin: m.default }))
    loading.set(locale, load.catch(() => void loading.delete(locale)))
  }
  return loading.get(locale)!
}
/** /admin's strings in `locale` and in Russian (the fallback for anything missing). */
export const loadAdminMessages = (locale: Locale) => Promise.all([loadAdminPart('ru'), loadAdminPart(locale)]).then(() => {})

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    return saved === 'ru' || saved === 'en' ? saved : null
  } catch {
    return null
  }
}
/** What /admin speaks before it knows who signed in: the saved choice, else the browser's language. */
export const initialAdminLocale = (): Locale => savedLocale() ?? toLocale(navigator.language)

/**
 * The admin's view of the one i18n (`useI18n`): the same locale and dictionaries, keys under
 * `admin.`, plus money in minor units (Telegram Stars included) and dates through Intl.
 */
export function useAdminI18n() {
  const base = useI18n()
  const { locale } = base
  const t = (key: AdminMessageKey, params?: Record<string, string | number>) => base.t(`admin.${key}` as MessageKey, params)
  const has = (key: string): key is AdminMessageKey => base.has(`admin.${key}`)
  async function setLocale(next: Locale, remember = true) {
    await loadAdminMessages(next)
    locale.value = next
    if (remember) {
      try {
        localStorage.setItem(STORAGE_KEY, next)
      } catch {}
    }
  }
  /** The signed-in user's language, unless the staff member chose one in this browser. */
  const adoptUserLocale = (userLocale: Locale) => (savedLocale() ? Promise.resolve() : setLocale(userLocale, false))
  /** Money through the one shared helper (shared/money.ts): Telegram Stars as "250 ⭐". */
  const money = (minor: number, currency = 'RUB') => formatMoney(minor, currency, locale.value)
  const dateTime = (value: string | Date) => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value))
  /** A server error in the staff member's language when we know its code, else the server's own message. */
  const errorText = (error: unknown) => {
    const e = error as Partial<ApiError>
    const key = `errors.${e.code}`
    return has(key) ? t(key) : (e.message ?? String(error))
  }
  return { locale, t, has, setLocale, adoptUserLocale, money, dateTime, errorText }
}
