import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { deliveryZones } from '../../../../server/db/schema'
import { listDeliveryOptions } from '../../../../server/services/delivery'
import {
  createDeliveryZone,
  createPickupPoint,
  getTelegramShippingSetting,
  listDeliveryZonesForAdmin,
  setTelegramShippingSetting,
  updateDeliveryZone,
  updatePickupPoint,
} from '../../../../server/services/delivery/admin'
import { quoteShipping } from '../../../../server/services/delivery/shipping'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { DeliveryZoneInputSchema, DeliveryZonePatchSchema, PickupPointInputSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db)
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const address = (city: string, post_code = '') => ({ country_code: 'RU', state: '', city, street_line1: 'Тверская, 1', street_line2: '', post_code })
const zone = async (slug: string) => (await handle.db.select().from(deliveryZones).where(eq(deliveryZones.slug, slug)))[0]!

describe(`delivery settings on ${engine}`, () => {
  it('creates a zone that checkout offers and Telegram-typed addresses in its cities match', async () => {
    const input = DeliveryZoneInputSchema.parse({ name: { ru: 'Химки', en: 'Khimki' }, priceMinor: 35000, freeFromMinor: 300000, minOrderMinor: 100000, countryCode: 'ru', cities: [' Химки', 'химки', ''], postCodePrefixes: ['141400'] })
    const created = await createDeliveryZone(services.staff(9000000099), input)
    expect(created).toMatchObject({ countryCode: 'RU', cities: ['Химки'], postCodePrefixes: ['141400'], isActive: true, etaMinutes: 60 })
    expect(created.slug).toMatch(/^khimki-[a-z0-9]+$/)
    expect((await listDeliveryOptions(handle.db)).deliveryZones.map((z) => z.id)).toContain(created.id)
    const quote = await quoteShipping(handle.db, { itemsTotalMinor: 120000 }, address('ХИМКИ'))
    expect(quote).toMatchObject({ ok: true, options: [{ zone: { id: created.id }, priceMinor: 35000 }] })
  })

  it('edits price and cities; the next quote uses them, and a deactivated zone leaves checkout but stays listed in admin', async () => {
    const ttk = await zone('ttk')
    const change = await updateDeliveryZone(services.staff(9000000099), ttk.id, DeliveryZonePatchSchema.parse({ priceMinor: 33000, cities: ['Москва', 'Moscow', 'Зеленоград'] }))
    expect(change.before).toMatchObject({ priceMinor: 29000, cities: ['Москва', 'Moscow'] })
    expect(change.after).toMatchObject({ priceMinor: 33000, cities: ['Москва', 'Moscow', 'Зеленоград'], freeFromMinor: 250000 })
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 90000 }, address('Зеленоград'))).toMatchObject({ ok: true, options: [{ priceMinor: 33000 }] })

    await updateDeliveryZone(services.staff(9000000099), ttk.id, { isActive: false })
    expect((await listDeliveryOptions(handle.db)).deliveryZones.map((z) => z.id)).not.toContain(ttk.id)
    expect(await quoteShipping(handle.db, { itemsTotalMinor: 90000 }, address('Зеленоград'))).toEqual({ ok: false, reason: 'outside_zones' })
    expect((await listDeliveryZonesForAdmin(handle.db)).find((z) => z.id === ttk.id)).toMatchObject({ isActive: false })
    await updateDeliveryZone(services.staff(9000000099), ttk.id, { isActive: true })
  })

  it('refuses what it cannot keep: unknown ids, taken slugs, bad prices, post codes and countries', async () => {
    await expect(updateDeliveryZone(services.staff(9000000099), 987_654, { priceMinor: 1 })).rejects.toMatchObject({ code: 'not_found' })
    await expect(updatePickupPoint(services.staff(9000000099), 987_654, { isActive: false })).rejects.toMatchObject({ code: 'not_found' })
    const input = DeliveryZoneInputSchema.parse({ slug: 'center', name: { ru: 'Ещё центр', en: 'Centre again' }, priceMinor: 100 })
    await expect(createDeliveryZone(services.staff(9000000099), input)).rejects.toMatchObject({ code: 'conflict', status: 409, details: [{ path: 'slug', message: 'taken' }] })
    await expect(updateDeliveryZone(services.staff(9000000099), (await zone('ttk')).id, { slug: 'center' })).rejects.toMatchObject({ code: 'conflict' })

    const bad = DeliveryZoneInputSchema.safeParse({ name: { ru: '', en: 'X' }, priceMinor: -1, freeFromMinor: 0, countryCode: 'RUS', postCodePrefixes: ['10 1!'] })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['countryCode', 'freeFromMinor', 'name.ru', 'postCodePrefixes.0', 'priceMinor'])
    expect(DeliveryZonePatchSchema.safeParse({ freeFromMinor: 0 }).error?.issues[0]?.path).toEqual(['freeFromMinor'])
    expect(DeliveryZonePatchSchema.safeParse({}).success).toBe(false)
    // A PATCH changes only what it carries: no defaults reset the rest.
    expect(DeliveryZonePatchSchema.parse({ priceMinor: 100 })).toEqual({ priceMinor: 100 })
  })

  it('creates and edits pickup points', async () => {
    const point = await createPickupPoint(services.staff(9000000099), PickupPointInputSchema.parse({ name: { ru: 'Кофейня на Арбате', en: 'Arbat café' }, address: { ru: 'Арбат, 10', en: '10 Arbat St' }, hours: { ru: '8–22', en: '8am–10pm' } }))
    expect(point).toMatchObject({ isActive: true, slug: expect.stringMatching(/^arbat-caf/) })
    const change = await updatePickupPoint(services.staff(9000000099), point.id, { hours: { ru: '9–21', en: '9am–9pm' }, isActive: false })
    expect(change.before.hours.ru).toBe('8–22')
    expect(change.after).toMatchObject({ hours: { ru: '9–21' }, isActive: false })
    expect((await listDeliveryOptions(handle.db)).pickupPoints.map((p) => p.id)).not.toContain(point.id)
  })

  it('turns Telegram address collection off and on, reporting the value before', async () => {
    expect(await getTelegramShippingSetting(handle.db)).toBe(true) // the demo turns it on
    expect(await setTelegramShippingSetting(services.staff(9000000099), false)).toEqual({ before: true, after: false })
    expect(await getTelegramShippingSetting(handle.db)).toBe(false)
    expect(await setTelegramShippingSetting(services.staff(9000000099), true)).toEqual({ before: false, after: true })
  })
})
