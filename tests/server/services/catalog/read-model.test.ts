import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { products, userRoles } from '../../../../server/db/schema'
import { findUserWithRoles, syncTelegramUser } from '../../../../server/services/auth/users'
import { startUserCache } from '../../../../server/services/auth/user-cache'
import { catalogFacets, getProductBySlug, listProducts, productListJson } from '../../../../server/services/catalog/products'
import { catalogSnapshot, startCatalogReadModel } from '../../../../server/services/catalog/read-model'
import { productsByIds } from '../../../../server/services/catalog/stock'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createLogger } from '../../../../server/utils/logger'
import { ProductListQuerySchema, type ProductListQuery } from '../../../../shared/schemas/catalog'
import { createTestDatabase, engine } from '../../../helpers/db'
import { eventually } from '../../../helpers/eventually'

let handle: DatabaseHandle
const logger = createLogger({ level: 'silent' })
// An hour: anything seen to change below came through NOTIFY, not through the TTL.
const TTL_MS = 3_600_000

beforeAll(async () => {
  handle = await createTestDatabase()
  await seedDemoData(handle.db)
  await startCatalogReadModel(handle.db, handle.listen, logger, TTL_MS)
  await startUserCache(handle.db, handle.listen, logger, TTL_MS)
})
afterAll(() => handle?.close())

/** Every page of a listing, following the cursors: slugs, and the cursors themselves. */
async function allPages(read: (query: ProductListQuery) => ReturnType<typeof listProducts>, input: Record<string, unknown>) {
  const slugs: string[] = []
  const cursors: (string | null)[] = []
  let cursor: string | undefined
  for (let page = 0; page < 50; page++) {
    const result = await read(ProductListQuerySchema.parse({ ...input, limit: 4, cursor }))
    slugs.push(...result.items.map((p) => p.slug))
    cursors.push(result.nextCursor)
    if (!result.nextCursor) break
    cursor = result.nextCursor
  }
  return { slugs, cursors }
}

const fromMemory = (query: ProductListQuery) => listProducts(handle.db, query)
// Inside a transaction there is no read model: the SQL of listProducts answers.
const fromSql = (query: ProductListQuery) => handle.db.transaction((tx) => listProducts(tx, query))

describe(`catalog read model on ${engine}`, () => {
  it('is in use once the LISTEN is in place', async () => {
    expect(await catalogSnapshot(handle.db)).toBeDefined()
  })

  it.each([
    {},
    { sort: 'price_asc' },
    { sort: 'price_desc' },
    { sort: 'new' },
    { category: 'coffee', inStock: 'true', sort: 'price_asc' },
    { priceMin: '15000', priceMax: '30000' },
    { tags: 'hot' },
    { q: 'капучино' },
    { q: 'капучно' },
    { q: 'latte' },
    { q: 'kapuchino' },
    { q: 'rfgexbyj' },
    { q: 'сырники' },
    { q: 'cheesecake', sort: 'price_asc' },
    { q: 'кофе' },
  ])('lists what the SQL lists, page by page with the same cursors: %o', async (input) => {
    const memory = await allPages(fromMemory, input)
    const sql = await allPages(fromSql, input)
    expect(memory.slugs).toEqual(sql.slugs)
    expect(memory.cursors).toEqual(sql.cursors)
  })

  it('refuses an unknown category and a bad cursor the same way', async () => {
    await expect(fromMemory(ProductListQuerySchema.parse({ category: 'nope' }))).rejects.toMatchObject({ code: 'not_found' })
    await expect(fromMemory(ProductListQuerySchema.parse({ cursor: 'xyz' }))).rejects.toMatchObject({ code: 'validation_failed' })
  })

  it('sees a price change and a hidden product written by anyone (NOTIFY), not only its own writes', async () => {
    const before = await getProductBySlug(handle.db, 'cappuccino')
    // A plain UPDATE on the database, as another replica would commit it: nothing here tells the model.
    await handle.db.update(products).set({ priceMinor: before.priceMinor + 1000 }).where(eq(products.id, before.id))
    await eventually(async () => (await getProductBySlug(handle.db, 'cappuccino')).priceMinor === before.priceMinor + 1000)
    const listed = await listProducts(handle.db, ProductListQuerySchema.parse({ q: 'капучино' }))
    expect(listed.items.find((p) => p.slug === 'cappuccino')?.priceMinor).toBe(before.priceMinor + 1000)

    await handle.db.update(products).set({ isActive: false }).where(eq(products.id, before.id))
    await eventually(async () => !(await listProducts(handle.db, ProductListQuerySchema.parse({ category: 'coffee' }))).items.some((p) => p.slug === 'cappuccino'))
    await expect(getProductBySlug(handle.db, 'cappuccino')).rejects.toMatchObject({ code: 'not_found' })
    expect((await listProducts(handle.db, ProductListQuerySchema.parse({ q: 'капучино' }))).items.map((p) => p.slug)).not.toContain('cappuccino')
    // A cart still shows what became unavailable.
    expect((await productsByIds(handle.db, [before.id])).get(before.id)?.isActive).toBe(false)
    await handle.db.update(products).set({ isActive: true, priceMinor: before.priceMinor }).where(eq(products.id, before.id))
  })

  it('has the same filter-sheet facets as SQL, and follows a hidden product', async () => {
    const sqlFacets = () => handle.db.transaction((tx) => catalogFacets(tx))
    const facets = await catalogFacets(handle.db)
    expect(facets.tags.length).toBeGreaterThan(0)
    expect(facets).toEqual(await sqlFacets())
    // The cheapest active product hidden: the memory's facets catch up with SQL's (the lower bound moves).
    const same = async () => JSON.stringify(await catalogFacets(handle.db)) === JSON.stringify(await sqlFacets())
    const [cheapest] = (await listProducts(handle.db, ProductListQuerySchema.parse({ sort: 'price_asc', limit: 1 }))).items
    await handle.db.update(products).set({ isActive: false }).where(eq(products.id, cheapest!.id))
    await eventually(same)
    expect((await catalogFacets(handle.db)).priceMin).toBeGreaterThanOrEqual(cheapest!.priceMinor)
    await handle.db.update(products).set({ isActive: true }).where(eq(products.id, cheapest!.id))
    await eventually(same)
    expect(await catalogFacets(handle.db)).toEqual(facets)
  })

  it('keeps the JSON answer of a query only while the catalog is unchanged', async () => {
    const query = ProductListQuerySchema.parse({ category: 'coffee', inStock: 'true', sort: 'price_asc' })
    const answer = () => productListJson(handle.db, query).then(({ json }) => JSON.parse(json.toString('utf8')) as { items: { slug: string; priceMinor: number; stock: number }[]; nextCursor: string | null })
    const expected = (await fromSql(query)).items.map((p) => p.slug).join()
    // The test before restored a product: its NOTIFY may still be on the way.
    await eventually(async () => (await answer()).items.map((p) => p.slug).join() === expected)
    const first = await answer()
    // The same bytes again, not a fresh serialization; and they say they are still the answer.
    const kept = await productListJson(handle.db, query)
    expect((await productListJson(handle.db, query)).json).toBe(kept.json)
    expect(kept.isCurrent?.()).toBe(true)
    const cheapest = first.items[0]!
    // Another replica sells the last cup: the kept answer goes with the old snapshot, and says so.
    const [row] = await handle.db.select().from(products).where(eq(products.slug, cheapest.slug))
    await handle.db.update(products).set({ stock: 0 }).where(eq(products.id, row!.id))
    await eventually(async () => kept.isCurrent?.() === false)
    await eventually(async () => !(await answer()).items.some((p) => p.slug === cheapest.slug))
    expect(kept.isCurrent?.()).toBe(false)
    await handle.db.update(products).set({ stock: row!.stock, priceMinor: row!.priceMinor + 500 }).where(eq(products.id, row!.id))
    await eventually(async () => (await answer()).items.find((p) => p.slug === cheapest.slug)?.priceMinor === row!.priceMinor + 500)
    await handle.db.update(products).set({ priceMinor: row!.priceMinor }).where(eq(products.id, row!.id))
  })

  it('finds a renamed product under its new name', async () => {
    const product = await getProductBySlug(handle.db, 'cocoa')
    expect((await listProducts(handle.db, ProductListQuerySchema.parse({ q: 'какао' }))).items.map((p) => p.slug)).toContain('cocoa')
    await handle.db.update(products).set({ name: { ru: 'Горячий шоколад', en: 'Hot chocolate' } }).where(eq(products.id, product.id))
    await eventually(async () => (await listProducts(handle.db, ProductListQuerySchema.parse({ q: 'шоколад' }))).items.some((p) => p.slug === 'cocoa'))
    await handle.db.update(products).set({ name: product.name }).where(eq(products.id, product.id))
  })
})

describe(`user cache on ${engine}`, () => {
  it('forgets a removed role as soon as the change commits anywhere', async () => {
    const { user } = await syncTelegramUser(handle.db, { id: 5_550_001, firstName: 'Staff' })
    await handle.db.insert(userRoles).values({ telegramId: user.id, role: 'manager' })
    await eventually(async () => (await findUserWithRoles(handle.db, user.id))?.roles.includes('manager'))
    // Read twice: the second answer comes from memory.
    expect((await findUserWithRoles(handle.db, user.id))?.roles).toEqual(['manager'])
    await handle.db.delete(userRoles).where(eq(userRoles.telegramId, user.id))
    await eventually(async () => (await findUserWithRoles(handle.db, user.id))?.roles.length === 0)
  })
})
