import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { products, users } from '../../../../server/db/schema'
import { addToCart, clearCart, getCart, MAX_CART_LINES } from '../../../../server/services/cart'
import { catalogSnapshot, startCatalogReadModel } from '../../../../server/services/catalog/read-model'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { eventually } from '../../../helpers/eventually'

/**
 * Add to cart is one statement that inserts or increments only when the cart may take it; what it
 * refuses, it refuses with the reason. Run with the catalog in memory, as the app runs it.
 */
let handle: DatabaseHandle
const USER = 5_570_001
const bySlug = async (slug: string) => (await handle.db.select().from(products).where(eq(products.slug, slug)))[0]!

beforeAll(async () => {
  handle = await createTestDatabase()
  await seedDemoData(handle.db)
  await startCatalogReadModel(handle.db, handle.listen, createLogger({ level: 'silent' }), 3_600_000)
  await handle.db.insert(users).values({ telegramId: USER, firstName: 'Мария' })
})
afterAll(() => handle?.close())

describe(`add to cart on ${engine}`, () => {
  it('adds a line, then increments it, and answers with the whole cart priced by the server', async () => {
    const americano = await bySlug('americano')
    const first = await addToCart(handle.db, USER, { productId: americano.id, options: {}, quantity: 2 })
    expect(first.lines).toMatchObject([{ productId: americano.id, quantity: 2, unitPriceMinor: americano.priceMinor, problems: [] }])
    const croissant = await bySlug('croissant')
    await addToCart(handle.db, USER, { productId: croissant.id, options: {}, quantity: 1 })
    const again = await addToCart(handle.db, USER, { productId: americano.id, options: {}, quantity: 3 })
    expect(again.lines.map((l) => [l.slug, l.quantity])).toEqual([['americano', 5], ['croissant', 1]])
    expect(again.itemsTotalMinor).toBe(5 * americano.priceMinor + croissant.priceMinor)
    expect(await getCart(handle.db, USER)).toEqual(again)
  })

  it('never goes above the stock, for a new line or an increment', async () => {
    await clearCart(handle.db, USER)
    const product = await bySlug('flat-white')
    await handle.db.update(products).set({ stock: 3 }).where(eq(products.id, product.id))
    // Once the catalog in memory has the new stock (on PostgreSQL it follows the NOTIFY).
    await eventually(async () => (await catalogSnapshot(handle.db))?.catalog.byId.get(product.id)?.stock === 3)
    expect((await addToCart(handle.db, USER, { productId: product.id, options: {}, quantity: 2 })).count).toBe(2)
    await expect(addToCart(handle.db, USER, { productId: product.id, options: {}, quantity: 2 })).rejects.toMatchObject({ code: 'insufficient_stock', details: { available: 3 } })
    await expect(addToCart(handle.db, USER, { productId: product.id, options: {}, quantity: 5 })).rejects.toMatchObject({ code: 'insufficient_stock' })
    expect((await getCart(handle.db, USER)).lines.map((l) => l.quantity)).toEqual([2])
  })

  it('keeps one currency per cart and at most MAX_CART_LINES lines', async () => {
    await clearCart(handle.db, USER)
    const [rub, usd] = [await bySlug('americano'), await bySlug('croissant')]
    await handle.db.update(products).set({ currency: 'USD' }).where(eq(products.id, usd.id))
    // Once the catalog in memory has the new currency (an add before that would go in as roubles).
    await eventually(async () => (await catalogSnapshot(handle.db))?.catalog.byId.get(usd.id)?.currency === 'USD')
    expect((await addToCart(handle.db, USER, { productId: rub.id, options: {}, quantity: 1 })).count).toBe(1)
    await expect(addToCart(handle.db, USER, { productId: usd.id, options: {}, quantity: 1 })).rejects.toMatchObject({ code: 'cart_currency_mismatch' })
    await handle.db.update(products).set({ currency: 'RUB' }).where(eq(products.id, usd.id))

    await clearCart(handle.db, USER)
    // Fill the cart with MAX_CART_LINES lines of the same product, told apart by an option key.
    const [row] = await handle.db.insert(products).values({ slug: 'many', categoryId: rub.categoryId, name: { ru: 'Много', en: 'Many' }, description: { ru: '', en: '' }, priceMinor: 100, stock: 1000,
      options: [{ key: 'n', name: { ru: 'Номер', en: 'Number' }, required: true, values: Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => ({ value: `v${i}`, name: { ru: `${i}`, en: `${i}` }, priceDeltaMinor: 0 })) }] }).returning()
    await eventually(async () => (await addToCart(handle.db, USER, { productId: row!.id, options: { n: 'v0' }, quantity: 1 })).count === 1)
    for (let i = 1; i < MAX_CART_LINES; i++) await addToCart(handle.db, USER, { productId: row!.id, options: { n: `v${i}` }, quantity: 1 })
    await expect(addToCart(handle.db, USER, { productId: row!.id, options: { n: `v${MAX_CART_LINES}` }, quantity: 1 })).rejects.toMatchObject({ code: 'cart_full' })
    // An existing line still takes more.
    expect((await addToCart(handle.db, USER, { productId: row!.id, options: { n: 'v0' }, quantity: 1 })).count).toBe(MAX_CART_LINES + 1)
    await clearCart(handle.db, USER)
    await handle.db.delete(products).where(inArray(products.id, [row!.id]))
  })
})
