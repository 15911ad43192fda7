import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { deliveryZones, orders, pickupPoints, products, users } from '../../../../server/db/schema'
import { addToCart, getCart, acceptCartPrices } from '../../../../server/services/cart'
import { listProducts } from '../../../../server/services/catalog/products'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { changeOrderStatusAsStaff, createOrder, getOrder, releaseExpiredReservations, staffTransitions } from '../../../../server/services/orders'
import { setSetting } from '../../../../server/services/settings'
import { DomainError } from '../../../../server/utils/errors'
import { ProductListQuerySchema, type ProductListQuery } from '../../../../shared/schemas/catalog'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
let pickupId: number
let zone: typeof deliveryZones.$inferSelect

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: true }) // the demo operator acts below
  pickupId = (await handle.db.select().from(pickupPoints))[0]!.id
  zone = (await handle.db.select().from(deliveryZones).where(eq(deliveryZones.slug, 'center')))[0]!
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const query = (q: Partial<ProductListQuery> & Record<string, unknown>) => ProductListQuerySchema.parse(q)
const slugs = async (q: Record<string, unknown>) => (await listProducts(handle.db, query(q))).items.map((p) => p.slug)
const productId = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]!.id
async function customer(id: number) {
  await handle.db.insert(users).values({ telegramId: id, firstName: `Customer ${id}` }).onConflictDoNothing()
  return id
}
const pickupCheckout = (paymentMethod: 'telegram' | 'cash_on_delivery' = 'cash_on_delivery') =>
  CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickupId }, contact: { name: 'Мария', phone: '+7 (900) 123-45-67' }, paymentMethod })

describe(`catalog search on ${engine}`, () => {
  it('understands Russian word forms and English plurals', async () => {
    expect(await slugs({ q: 'сырниками' })).toEqual(['syrniki'])
    expect(await slugs({ q: 'cheesecakes' })).toEqual(['cheesecake'])
    expect(await slugs({ q: 'круассаны' })).toEqual(['croissant'])
  })

  it('forgives typos', async () => {
    expect(await slugs({ q: 'капучно' })).toContain('cappuccino')
    expect(await slugs({ q: 'capuccino' })).toContain('cappuccino')
    expect(await slugs({ q: 'чизкеик' })).toContain('cheesecake')
  })

  it('filters by category, price, tags and stock, and pages with a stable cursor', async () => {
    const coffee = await slugs({ category: 'coffee', sort: 'price_asc', limit: 50 })
    expect(coffee[0]).toBe('americano')
    expect(await slugs({ category: 'desserts', inStock: 'true' })).not.toContain('cinnamon-roll')
    expect(await slugs({ category: 'desserts' })).toContain('cinnamon-roll')
    const cheap = (await listProducts(handle.db, query({ priceMax: 20000, limit: 50 }))).items
    expect(cheap.every((p) => p.priceMinor <= 20000)).toBe(true)
    expect(await slugs({ tags: 'vegetarian', category: 'breakfast', limit: 50 })).toEqual(expect.arrayContaining(['syrniki', 'shakshuka']))

    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await listProducts(handle.db, query({ sort: 'price_desc', limit: 5, cursor }))
      seen.push(...page.items.map((p) => p.slug))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(await slugs({ sort: 'price_desc', limit: 50 }))
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('refuses a forged cursor with a validation error', async () => {
    await expect(listProducts(handle.db, query({ cursor: 'not-a-cursor' }))).rejects.toMatchObject({ code: 'validation_failed' })
  })
})

describe(`cart and orders on ${engine}`, () => {
  it('prices options on the server and ignores anything the client says about price', async () => {
    const user = await customer(1001)
    const cappuccino = await productId('cappuccino')
    // Extra fields such as a price are stripped by the schema and never reach the service.
    const cart = await addToCart(handle.db, user, { productId: cappuccino, options: { milk: 'oat', size: 'l' }, quantity: 2, ...({ unitPriceMinor: 1 } as object) } as never)
    expect(cart.lines[0]).toMatchObject({ unitPriceMinor: 22000 + 6000 + 5000, quantity: 2, totalMinor: 66000 })
    await expect(addToCart(handle.db, user, { productId: cappuccino, options: { milk: 'unicorn' }, quantity: 1 })).rejects.toMatchObject({ code: 'invalid_options' })

    const { order } = await createOrder(services.customer(user), { ...pickupCheckout(), ...({ totalMinor: 100 } as object) }, 'key-price-1')
    expect(order).toMatchObject({ itemsTotalMinor: 66000, deliveryMinor: 0, totalMinor: 66000, status: 'new', contactPhone: '+79001234567' })
    expect((await getCart(handle.db, user)).lines).toHaveLength(0)
  })

  it('shows a price change in the cart and refuses to order until the customer has seen it', async () => {
    const user = await customer(1002)
    const croissant = await productId('croissant')
    await addToCart(handle.db, user, { productId: croissant, options: {}, quantity: 1 })
    await handle.db.update(products).set({ priceMinor: 21000 }).where(eq(products.id, croissant))
    const cart = await getCart(handle.db, user)
    expect(cart.lines[0]).toMatchObject({ unitPriceMinor: 21000, previousUnitPriceMinor: 19000, problems: ['price_changed'] })
    await expect(createOrder(services.customer(user), pickupCheckout(), 'key-change-1')).rejects.toMatchObject({ code: 'cart_changed' })
    await acceptCartPrices(handle.db, user)
    const { order } = await createOrder(services.customer(user), pickupCheckout(), 'key-change-2')
    expect(order.totalMinor).toBe(21000)
  })

  it('returns the same order for a retried request with the same Idempotency-Key, even concurrently', async () => {
    const user = await customer(1003)
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 1 })
    const results = await Promise.all([1, 2, 3].map(() => createOrder(services.customer(user), pickupCheckout(), 'same-key-123').catch((e) => e)))
    const ok = results.filter((r) => !(r instanceof Error)) as { order: { id: number }; created: boolean }[]
    // Every answer is either the one order, or "cart empty" from a request that ran after it cleared the cart.
    expect(new Set(ok.map((r) => r.order.id)).size).toBe(1)
    expect(ok.filter((r) => r.created)).toHaveLength(1)
    const count = await handle.db.select({ n: sql<number>`count(*)::int` }).from(orders).where(eq(orders.userId, user))
    expect(count[0]!.n).toBe(1)
    const again = await createOrder(services.customer(user), pickupCheckout(), 'same-key-123')
    expect(again).toMatchObject({ created: false, order: { id: ok[0]!.order.id } })
  })

  it('sells the last item exactly once when 50 customers order it at the same time', async () => {
    const roll = await productId('cinnamon-roll')
    await handle.db.update(products).set({ stock: 1 }).where(eq(products.id, roll))
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => customer(2000 + i)))
    for (const user of buyers) await addToCart(handle.db, user, { productId: roll, options: {}, quantity: 1 })
    const outcomes = await Promise.allSettled(buyers.map((user) => createOrder(services.customer(user), pickupCheckout(), `last-item-${user}`)))
    const won = outcomes.filter((o) => o.status === 'fulfilled')
    const lost = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[]
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(49)
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(DomainError)
      expect(['out_of_stock', 'cart_changed']).toContain((l.reason as DomainError).code)
    }
    const [row] = await handle.db.select({ stock: products.stock }).from(products).where(eq(products.id, roll))
    expect(row!.stock).toBe(0)
  })

  it('computes courier delivery on the server: paid below the threshold, free above, refused below the minimum', async () => {
    const user = await customer(1004)
    const courier = (paymentMethod: 'cash_on_delivery' = 'cash_on_delivery') =>
      CheckoutSchema.parse({ delivery: { method: 'courier', zoneId: zone.id, address: { text: 'ул. Маросейка, 2, кв. 5' } }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod })
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 1 })
    await expect(createOrder(services.customer(user), courier(), 'courier-1')).rejects.toMatchObject({ code: 'below_minimum_order' })
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 2 })
    const { order } = await createOrder(services.customer(user), courier(), 'courier-2')
    expect(order).toMatchObject({ itemsTotalMinor: 51000, deliveryMinor: zone.priceMinor, totalMinor: 51000 + zone.priceMinor })
    await addToCart(handle.db, user, { productId: await productId('hario-v60'), options: {}, quantity: 1 })
    const free = await createOrder(services.customer(user), courier(), 'courier-3')
    expect(free.order.deliveryMinor).toBe(0)
  })

  it('releases the stock of an order not paid in time, and only once', async () => {
    const user = await customer(1005)
    const beans = await productId('colombia-decaf')
    const [before] = await handle.db.select({ stock: products.stock }).from(products).where(eq(products.id, beans))
    await addToCart(handle.db, user, { productId: beans, options: {}, quantity: 3 })
    const { order } = await createOrder(services.customer(user), pickupCheckout('telegram'), 'unpaid-1')
    expect(order.status).toBe('awaiting_payment')
    expect((await handle.db.select({ stock: products.stock }).from(products).where(eq(products.id, beans)))[0]!.stock).toBe(before!.stock - 3)
    expect(await releaseExpiredReservations(services.system())).not.toContain(order.id)
    await handle.db.update(orders).set({ reservedUntil: sql`now() - interval '1 minute'` }).where(eq(orders.id, order.id))
    const [first, second] = await Promise.all([releaseExpiredReservations(services.system()), releaseExpiredReservations(services.system())])
    expect([...first!, ...second!].filter((id) => id === order.id)).toHaveLength(1)
    expect((await handle.db.select({ stock: products.stock }).from(products).where(eq(products.id, beans)))[0]!.stock).toBe(before!.stock)
    const detail = await getOrder(handle.db, order.id, user)
    expect(detail.status).toBe('cancelled')
    expect(detail.history.map((h) => [h.fromStatus, h.toStatus, h.actorKind])).toEqual([
      [null, 'awaiting_payment', 'customer'],
      ['awaiting_payment', 'cancelled', 'system'],
    ])
  })

  it('allows only the transitions of the status machine, recording who made each, and tells the customer of each', async () => {
    const user = await customer(1006)
    const operator = services.staff(9000000010, ['operator'])
    await addToCart(handle.db, user, { productId: await productId('flat-white'), options: { milk: 'oat' }, quantity: 1 })
    const { order } = await createOrder(services.customer(user), pickupCheckout(), 'machine-1')
    await expect(changeOrderStatusAsStaff(operator, order.id, 'done')).rejects.toMatchObject({ code: 'invalid_transition' })
    await expect(changeOrderStatusAsStaff(operator, order.id, 'paid')).rejects.toMatchObject({ code: 'invalid_transition' })
    await changeOrderStatusAsStaff(operator, order.id, 'in_progress', 'Готовим')
    await changeOrderStatusAsStaff(operator, order.id, 'ready')
    await changeOrderStatusAsStaff(operator, order.id, 'done')
    await expect(changeOrderStatusAsStaff(operator, order.id, 'cancelled')).rejects.toMatchObject({ code: 'invalid_transition' })
    const detail = await getOrder(handle.db, order.id)
    expect(detail.history.map((h) => h.toStatus)).toEqual(['new', 'in_progress', 'ready', 'done'])
    expect(detail.history[1]).toMatchObject({ note: 'Готовим', actorKind: 'staff', actorId: 9000000010 })
    // Each change queued its chat message in the same transaction (one per status).
    const messages = (await services.queued('notifications.order-status')).filter((j) => j.data.orderId === order.id)
    expect(messages.map((j) => j.data.status)).toEqual(['new', 'in_progress', 'ready', 'done'])
    // Another customer cannot read it.
    await expect(getOrder(handle.db, order.id, 999)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('queues nothing when the change fails: the message exists only if the status changed', async () => {
    const user = await customer(1008)
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 1 })
    const { order } = await createOrder(services.customer(user), pickupCheckout(), 'rollback-1')
    await expect(changeOrderStatusAsStaff(services.staff(9000000010, ['operator']), order.id, 'done')).rejects.toMatchObject({ code: 'invalid_transition' })
    const statuses = (await services.queued('notifications.order-status')).filter((j) => j.data.orderId === order.id).map((j) => j.data.status)
    expect(statuses).toEqual(['new'])
  })

  it('never hands a pickup order to a courier: it is ready for pickup, then done; a courier order is shipped', async () => {
    const user = await customer(1009)
    const operator = services.staff(9000000010, ['operator'])
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 1 })
    const { order: pickup } = await createOrder(services.customer(user), pickupCheckout(), 'pickup-machine-1')
    await changeOrderStatusAsStaff(operator, pickup.id, 'in_progress')
    expect(staffTransitions({ status: 'in_progress', deliveryMethod: 'pickup', paymentMethod: 'cash_on_delivery' })).toEqual(['ready', 'cancelled'])
    await expect(changeOrderStatusAsStaff(operator, pickup.id, 'shipped')).rejects.toMatchObject({ code: 'invalid_transition' })
    await changeOrderStatusAsStaff(operator, pickup.id, 'ready')
    expect(staffTransitions({ status: 'ready', deliveryMethod: 'pickup', paymentMethod: 'cash_on_delivery' })).toEqual(['done', 'cancelled'])
    await expect(changeOrderStatusAsStaff(operator, pickup.id, 'shipped')).rejects.toMatchObject({ code: 'invalid_transition' })
    await changeOrderStatusAsStaff(operator, pickup.id, 'done')
    // The order names where it is collected.
    expect((await getOrder(handle.db, pickup.id)).pickupPoint).toMatchObject({ address: { ru: 'ул. Покровка, 17, стр. 1' }, hours: { ru: 'Ежедневно 8:00–22:00' } })

    expect(staffTransitions({ status: 'in_progress', deliveryMethod: 'courier', paymentMethod: 'cash_on_delivery' })).toEqual(['ready', 'shipped', 'cancelled'])
    expect(staffTransitions({ status: 'ready', deliveryMethod: 'courier', paymentMethod: 'cash_on_delivery' })).toEqual(['shipped', 'done', 'cancelled'])
  })

  it('refuses a payment method the business does not accept', async () => {
    const user = await customer(1007)
    await addToCart(handle.db, user, { productId: await productId('americano'), options: {}, quantity: 1 })
    await setSetting(handle.db, 'orders.payment_methods', ['telegram'])
    try {
      await expect(createOrder(services.customer(user), pickupCheckout('cash_on_delivery'), 'method-1')).rejects.toMatchObject({ code: 'payment_method_unavailable' })
    } finally {
      await setSetting(handle.db, 'orders.payment_methods', ['telegram', 'cash_on_delivery', 'card_on_delivery'])
    }
  })
})

describe(`cart concurrency on ${engine}`, () => {
  it('counts every tap when the same item is added many times at once', async () => {
    const user = await customer(1100)
    const americano = await productId('americano')
    await handle.db.update(products).set({ stock: 500 }).where(eq(products.id, americano))
    await Promise.all(Array.from({ length: 20 }, () => addToCart(handle.db, user, { productId: americano, options: {}, quantity: 1 })))
    const cart = await getCart(handle.db, user)
    expect(cart.lines).toHaveLength(1)
    expect(cart.lines[0]!.quantity).toBe(20)
  })

  it('never lets concurrent adds take a line above the stock', async () => {
    const user = await customer(1101)
    const croissant = await productId('croissant')
    await handle.db.update(products).set({ stock: 5 }).where(eq(products.id, croissant))
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => addToCart(handle.db, user, { productId: croissant, options: {}, quantity: 1 })))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5)
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as DomainError).code)).toEqual(Array(5).fill('insufficient_stock'))
    expect((await getCart(handle.db, user)).lines[0]!.quantity).toBe(5)
  })
})
