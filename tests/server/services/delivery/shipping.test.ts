import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { orders, products, users } from '../../../../server/db/schema'
import { addToCart } from '../../../../server/services/cart'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createOrder } from '../../../../server/services/orders'
import { quoteShipping, zonesForAddress, TELEGRAM_SHIPPING_SETTING } from '../../../../server/services/delivery/shipping'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { setSetting } from '../../../../server/services/settings'

const address = (fields: Partial<{ country_code: string; city: string; post_code: string }>) => ({ country_code: 'RU', state: '', city: '', street_line1: 'Street 1', street_line2: '', post_code: '', ...fields })
const zone = (name: string, rule: { countryCode?: string | null; cities?: string[]; postCodePrefixes?: string[] }) => ({ name, countryCode: rule.countryCode ?? null, cities: rule.cities ?? [], postCodePrefixes: rule.postCodePrefixes ?? [] })

describe('which zones deliver to an address typed in Telegram', () => {
  const centre = zone('centre', { countryCode: 'RU', postCodePrefixes: ['101', '103'] })
  const city = zone('city', { countryCode: 'RU', cities: ['Москва', 'Moscow'] })
  const oldTown = zone('old town', { countryCode: 'RU', postCodePrefixes: ['1010'] })
  const anywhere = zone('picker only', {})
  const names = (a: ReturnType<typeof address>, zones = [centre, city, oldTown, anywhere]) => zonesForAddress(zones, a).map((z) => z.name)

  it('prefers a post-code match to a city match, and the longest prefix', () => {
    expect(names(address({ city: 'Москва', post_code: '103 009' }))).toEqual(['centre'])
    expect(names(address({ city: 'Москва', post_code: '101000' }))).toEqual(['old town'])
    expect(names(address({ city: ' МОСКВА ', post_code: '115114' }))).toEqual(['city'])
    expect(names(address({ city: 'moscow', post_code: '' }))).toEqual(['city'])
  })

  it('keeps to the zone country, ignores zones without cities or post codes, offers ties together', () => {
    expect(names(address({ country_code: 'KZ', city: 'Москва', post_code: '101000' }))).toEqual([])
    expect(names(address({ city: 'Санкт-Петербург', post_code: '191186' }))).toEqual([])
    const express = zone('express', { countryCode: null, postCodePrefixes: ['103'] })
    expect(names(address({ city: 'Москва', post_code: '103009' }), [centre, express])).toEqual(['centre', 'express'])
    expect(names(address({ city: 'Ёлки', post_code: '' }), [zone('yolki', { cities: ['елки'] })])).toEqual(['yolki'])
  })
})

describe(`Telegram shipping orders on ${engine}`, () => {
  let handle: DatabaseHandle
  let services: TestServices
  const userId = 7700001
  beforeAll(async () => {
    handle = await createTestDatabase()
    services = await createTestServices(handle)
    await seedDemoData(handle.db)
    await handle.db.insert(users).values({ telegramId: userId, firstName: 'Мария' })
  })
  afterAll(async () => {
    await services?.close()
    await handle?.close()
  })

  it('prices options from the zones: free from the threshold, refused below the minimum', async () => {
    const centre = address({ city: 'Москва', post_code: '101000' })
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 129000 }, centre)).toMatchObject({ ok: true, options: [{ priceMinor: 19000, zone: { slug: 'center' } }] })
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 150000 }, centre)).toMatchObject({ ok: true, options: [{ priceMinor: 0 }] })
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 19000 }, centre)).toEqual({ ok: false, reason: 'below_minimum', minOrderMinor: 50000 })
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 129000 }, address({ city: 'Тверь', post_code: '170000' }))).toEqual({ ok: false, reason: 'outside_zones' })
  })

  it('is refused when the business has not enabled it; the order is created without an address when it has', async () => {
    const [product] = await handle.db.select().from(products).where(eq(products.slug, 'brazil-cerrado'))
    await addToCart(handle.db, userId, { productId: product!.id, quantity: 1, options: {} })
    const input = CheckoutSchema.parse({ delivery: { method: 'telegram_shipping' }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'telegram' })
    await setSetting(handle.db, TELEGRAM_SHIPPING_SETTING, false)
    await expect(createOrder(services.customer(userId), input, 'ship-off-1')).rejects.toMatchObject({ code: 'delivery_method_unavailable' })
    await setSetting(handle.db, TELEGRAM_SHIPPING_SETTING, true)
    const { order } = await createOrder(services.customer(userId), input, 'ship-on-1')
    expect(order).toMatchObject({ deliveryMethod: 'telegram_shipping', status: 'awaiting_payment', address: null, deliveryZoneId: null, deliveryMinor: 0, totalMinor: 99000 })
    // The database refuses a paid Telegram-shipping order without its address.
    await expect(handle.db.update(orders).set({ status: 'paid' }).where(eq(orders.id, order.id))).rejects.toThrow()
  })
})
