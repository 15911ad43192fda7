/**
 * The one money helper for the server (chat messages), the Mini App, the public pages and /admin.
 * Amounts travel as integers in the currency's smallest unit, as Telegram counts them: kopecks for
 * RUB (14990 = 149,90 ₽), but whole units for currencies without a minor unit — Telegram Stars
 * (`XTR`: 250 is 250 Stars, shown "250 ⭐", never "US$2.5" or "2,50 XTR"), yen, won and others.
 */
import { numberFormat } from './intl'

/** Currencies whose smallest unit is the unit itself (Telegram Payments' `exp` 0); everything else has two decimals. */
const ZERO_DECIMAL = new Set(['XTR', 'JPY', 'KRW', 'VND', 'CLP', 'ISK', 'PYG', 'UGX', 'XAF', 'XOF', 'KMF', 'GNF', 'RWF', 'DJF', 'BIF', 'VUV', 'XPF'])

/** Telegram Stars: not an ISO currency, no symbol of its own in Intl. */
export const STARS = 'XTR'

/** How many decimals the currency's amounts have (0 for Stars, 2 for RUB). */
export function minorUnitDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2
}

/** The amount in whole units: 14990 RUB -> 149.9, 250 XTR -> 250. */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** minorUnitDigits(currency)
}

/** Our two languages map to the number formats people expect; any BCP 47 tag passes through. */
const intlLocale = (locale: string) => (locale === 'ru' ? 'ru-RU' : locale === 'en' ? 'en-GB' : locale)

/**
 * A price for people: "149,90 ₽" / "RUB 149.90", "220 ₽" (no ",00" for whole amounts), "250 ⭐".
 * `locale` is `ru`, `en` or any BCP 47 tag.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const major = toMajor(minor, currency)
  const stars = currency.toUpperCase() === STARS
  const text = numberFormat(intlLocale(locale), { ...(stars ? {} : { style: 'currency', currency }), minimumFractionDigits: Number.isInteger(major) ? 0 : minorUnitDigits(currency), maximumFractionDigits: minorUnitDigits(currency) }).format(major)
  return stars ? `${text} ⭐` : text
}

/** The decimal machines want (schema.org offers): "240.00", "250" for Stars. */
export function decimalAmount(minor: number, currency: string): string {
  return toMajor(minor, currency).toFixed(minorUnitDigits(currency))
}

/** The amount as an operator edits it: 21990 -> "219.90", 22000 -> "220", 250 XTR -> "250"; '' for none. */
export function editableAmount(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return ''
  const major = toMajor(minor, currency)
  return Number.isInteger(major) ? String(major) : major.toFixed(minorUnitDigits(currency))
}

/** What an operator typed ("219,90", "1 200", "220") in minor units; null when it is not an amount in this currency. */
export function parseAmount(input: string, currency: string): number | null {
  const digits = minorUnitDigits(currency)
  const cleaned = input.replace(/[\s\u00a0]/g, '').replace(',', '.')
  const pattern = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+(\\.\\d{1,${digits}})?$`)
  if (!pattern.test(cleaned)) return null
  return Math.round(Number(cleaned) * 10 ** digits)
}
