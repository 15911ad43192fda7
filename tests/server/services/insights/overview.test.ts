import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { pickupPoints, products, users } from '../../../../server/db/schema'
import { addToCart } from '../../../../server/services/cart'
import { write } from '../../../../server/services/context'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { businessOverview, businessTotals, recordActivity } from '../../../../server/services/insights'
import { insightsAccountSection } from '../../../../server/services/insights/account'
import { createOrder, transitionOrder } from '../../../../server/services/orders'
import { recordCustomerMessage } from '../../../../server/services/support'
import { BusinessOverviewQuerySchema } from '../../../../shared/schemas/insights'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
let pickupId: number

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: true })
  pickupId = (await handle.db.select().from(pickupPoints))[0]!.id
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const customer = async (id: number) => {
  await handle.db.insert(users).values({ telegramId: id, firstName: `Customer ${id}` }).onConflictDoNothing()
  return id
}
const overview = () => businessOverview(handle.db, BusinessOverviewQuerySchema.parse({}))
const today = (o: Awaited<ReturnType<typeof overview>>, key: 'opens' | 'carts' | 'orders' | 'paid' | 'bookings' | 'conversations') => o[key].at(-1)!

describe(`the business overview on ${engine}`, () => {
  it('counts, per day, people who opened the app, filled a cart, ordered and paid, and conversations; each person once a day', async () => {
    const before = await overview()
    expect(before.days).toHaveLength(14)
    for (const key of ['opens', 'carts', 'orders', 'paid', 'bookings', 'conversations'] as const) expect(before[key]).toHaveLength(14)
    const [anna, boris] = [await customer(7_700_001), await customer(7_700_002)]
    // Anna opens the app three times today: one person, one open.
    for (let i = 0; i < 3; i++) await recordActivity(handle.db, anna, 'app_open')
    await recordActivity(handle.db, boris, 'app_open')
    const americano = (await handle.db.select().from(products).where(eq(products.slug, 'americano')))[0]!
    const cappuccino = (await handle.db.select().from(products).where(eq(products.slug, 'cappuccino')))[0]!
    await addToCart(handle.db, anna, { productId: americano.id, options: {}, quantity: 1 })
    await addToCart(handle.db, anna, { productId: cappuccino.id, options: {}, quantity: 1 })
    const checkout = CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickupId }, contact: { name: 'Анна', phone: '+79001234567' }, paymentMethod: 'telegram' })
    const { order } = await createOrder(services.customer(anna), checkout, 'overview-order-1')
    await write(services.system(), (w) => transitionOrder(w, order.id, 'paid'))
    await recordCustomerMessage({ ...services.customer(boris), actor: { kind: 'customer', userId: boris, via: 'bot' } }, { text: 'Здравствуйте', sourceKey: `tg:${boris}:1`, via: 'bot', locale: 'ru' })

    const after = await overview()
    expect({
      opens: today(after, 'opens') - today(before, 'opens'),
      carts: today(after, 'carts') - today(before, 'carts'),
      orders: today(after, 'orders') - today(before, 'orders'),
      paid: today(after, 'paid') - today(before, 'paid'),
      conversations: today(after, 'conversations') - today(before, 'conversations'),
      bookings: today(after, 'bookings') - today(before, 'bookings'),
    }).toEqual({ opens: 2, carts: 1, orders: 1, paid: 1, conversations: 1, bookings: 0 })
    // The same figures for /metrics.
    const totals = await businessTotals(handle.db)
    expect(totals.orders_paid).toBeGreaterThanOrEqual(1)
    expect(totals.app_opens).toBeGreaterThanOrEqual(2)
  })

  it('lists every day of a range, quiet days as zeros, and refuses a range too long or backwards', async () => {
    const o = await businessOverview(handle.db, BusinessOverviewQuerySchema.parse({ from: '2020-02-27', to: '2020-03-02' }))
    expect(o.days).toEqual(['2020-02-27', '2020-02-28', '2020-02-29', '2020-03-01', '2020-03-02'])
    expect(o.opens).toEqual([0, 0, 0, 0, 0])
    expect(BusinessOverviewQuerySchema.safeParse({ from: '2020-01-01', to: '2020-12-31' }).success).toBe(false)
    expect(BusinessOverviewQuerySchema.safeParse({ from: '2020-03-02', to: '2020-03-01' }).success).toBe(false)
  })

  it("puts a person's recorded days in their export and erases them with the account", async () => {
    const id = await customer(7_700_010)
    await recordActivity(handle.db, id, 'app_open')
    expect(await insightsAccountSection.exportData!(handle.db, id)).toEqual([{ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), kind: 'app_open' }])
    const opensBefore = today(await overview(), 'opens')
    expect(await write(services.customer(id), (w) => insightsAccountSection.erase!(w, id, 0))).toEqual({ activityDaysDeleted: 1 })
    expect(await insightsAccountSection.exportData!(handle.db, id)).toEqual([])
    expect(today(await overview(), 'opens')).toBe(opensBefore - 1)
    // Opening the app again the same day counts again (the in-process memo forgot the person too).
    await recordActivity(handle.db, id, 'app_open')
    expect(today(await overview(), 'opens')).toBe(opensBefore)
  })
})
