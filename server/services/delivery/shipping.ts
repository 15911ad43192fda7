/**
 * Courier delivery to the address the customer types in Telegram's payment form (`telegram_shipping`):
 * the invoice asks Telegram for the address, the bot answers `shipping_query` with options priced
 * here from the stored delivery zones, and pre-checkout and the payment re-check the chosen option
 * against the same rule. Nothing the client says about prices is trusted.
 */
import { asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { deliveryZones, type TelegramShippingAddress } from '../../db/schema/delivery'
import type { AppConfig } from '../../utils/config'
import { getSetting } from '../settings'
import { formatMoney } from '#shared/money'
import type { Locale } from '#shared/locale'

/** Setting: `true` when the business lets Telegram collect the delivery address (off by default; the demo turns it on). */
export const TELEGRAM_SHIPPING_SETTING = 'orders.telegram_shipping'

type Lang = Locale
type Zone = typeof deliveryZones.$inferSelect
export type ZoneRule = Pick<Zone, 'countryCode' | 'cities' | 'postCodePrefixes'>

/** Offered at checkout when the business enabled it and Telegram Payments can take cards (provider token, or the sandbox). */
export async function telegramShippingAvailable(services: { db: DbOrTx; config: AppConfig }) {
  const enabled = (await getSetting<boolean>(services.db, TELEGRAM_SHIPPING_SETTING)) === true
  return enabled && (services.config.telegram.sandbox || Boolean(services.config.telegram.paymentProviderToken))
}

const normalCity = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ')
const normalPostCode = (s: string) => s.replace(/[\s-]/g, '').toUpperCase()

/** How well a zone covers an address: 0 not at all, 1 by city, 100 + prefix length by post code. */
function coverage(zone: ZoneRule, address: TelegramShippingAddress) {
  if (zone.countryCode && zone.countryCode.toUpperCase() !== address.country_code.trim().toUpperCase()) return 0
  const postCode = normalPostCode(address.post_code)
  const prefix = postCode ? Math.max(0, ...zone.postCodePrefixes.filter((p) => p && postCode.startsWith(normalPostCode(p))).map((p) => normalPostCode(p).length)) : 0
  if (prefix > 0) return 100 + prefix
  const city = normalCity(address.city)
  return city && zone.cities.some((c) => normalCity(c) === city) ? 1 : 0
}

/**
 * The zones that deliver to an address. A zone only applies in its country (when it names one);
 * a post-code prefix match is more specific than a city match and a longer prefix more specific
 * than a shorter one; the most specific zones win (all of them when tied). A zone listing neither
 * cities nor post codes never matches a typed address.
 */
export function zonesForAddress<Z extends ZoneRule>(zones: readonly Z[], address: TelegramShippingAddress): Z[] {
  let best = 0
  let result: Z[] = []
  for (const zone of zones) {
    const score = coverage(zone, address)
    if (score === 0 || score < best) continue
    if (score > best) {
      best = score
      result = []
    }
    result.push(zone)
  }
  return result
}

/** Telegram's shipping option id for a zone; parsed back at pre-checkout and payment. */
export const shippingOptionId = (zoneId: number) => `zone-${zoneId}`

export interface ShippingOptionQuote {
  id: string
  zone: Zone
  priceMinor: number
}
export type ShippingRefusal = 'outside_zones' | 'below_minimum'

/**
 * What delivery to this address costs for an order's items: one option per matching zone, free
 * from the zone's threshold; zones whose minimum the order does not reach are left out.
 */
export async function quoteShipping(db: DbOrTx, order: { itemsTotalMinor: number }, address: TelegramShippingAddress): Promise<{ ok: true; options: ShippingOptionQuote[] } | { ok: false; reason: ShippingRefusal; minOrderMinor?: number }> {
  const zones = await db.select().from(deliveryZones).where(eq(deliveryZones.isActive, true)).orderBy(asc(deliveryZones.priceMinor), asc(deliveryZones.id))
  const matching = zonesForAddress(zones, address)
  if (matching.length === 0) return { ok: false, reason: 'outside_zones' }
  const reachable = matching.filter((z) => order.itemsTotalMinor >= z.minOrderMinor)
  if (reachable.length === 0) return { ok: false, reason: 'below_minimum', minOrderMinor: Math.min(...matching.map((z) => z.minOrderMinor)) }
  const options = reachable.map((zone) => ({ id: shippingOptionId(zone.id), zone, priceMinor: zone.freeFromMinor !== null && order.itemsTotalMinor >= zone.freeFromMinor ? 0 : zone.priceMinor }))
  return { ok: true, options }
}

/** The option the customer chose, re-priced from the zones now; undefined when it is not on offer for this address. */
export async function resolveShippingOption(db: DbOrTx, order: { itemsTotalMinor: number }, optionId: string | undefined, address: TelegramShippingAddress | undefined) {
  if (!optionId || !address) return undefined
  const quote = await quoteShipping(db, order, address)
  return quote.ok ? quote.options.find((o) => o.id === optionId) : undefined
}

/** Telegram's ShippingOption: title from the zone (with its time), one price line. */
export function toTelegramShippingOption(option: ShippingOptionQuote, lang: Lang) {
  const eta = lang === 'ru' ? `~${option.zone.etaMinutes} мин` : `~${option.zone.etaMinutes} min`
  const label = option.priceMinor === 0 ? (lang === 'ru' ? 'Доставка бесплатно' : 'Free delivery') : lang === 'ru' ? 'Доставка' : 'Delivery'
  return { id: option.id, title: `${option.zone.name[lang]}, ${eta}`, prices: [{ label, amount: option.priceMinor }] }
}

/** One line for the courier and the operator, from Telegram's address fields. */
export function shippingAddressText(address: TelegramShippingAddress) {
  return [address.street_line1, address.street_line2, address.city, address.state, address.post_code, address.country_code].map((s) => s?.trim()).filter(Boolean).join(', ')
}

/** What the customer reads in Telegram's form when delivery to the address is refused. */
export function shippingRefusalMessage(refusal: { reason: ShippingRefusal; minOrderMinor?: number }, currency: string, lang: Lang) {
  if (refusal.reason === 'below_minimum') {
    const price = formatMoney(refusal.minOrderMinor ?? 0, currency, lang)
    return lang === 'ru' ? `Доставка по этому адресу — от ${price}. Добавьте товаров или выберите самовывоз в приложении.` : `Delivery to this address starts from ${price}. Add items or choose pickup in the app.`
  }
  return lang === 'ru'
    ? 'К сожалению, мы не доставляем по этому адресу. Проверьте город и индекс или выберите самовывоз в приложении.'
    : 'Sorry, we do not deliver to this address. Check the city and post code, or choose pickup in the app.'
}
