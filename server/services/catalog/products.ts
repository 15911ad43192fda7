import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { categories, products, type ProductOption } from '../../db/schema/catalog'
import type { SelectedOptions } from '../../db/schema/cart'
import { rowsOf } from '../../db/results'
import type { ProductListQuery } from '#shared/schemas/catalog'
import { INT4_MAX } from '#shared/schemas/common'
import { DomainError } from '../../utils/errors'
import { searchVariants, type SearchVariant } from './search-variants'
import { catalogSnapshot, snapshotCheck, type CatalogReadModel, type CatalogSnapshot } from './read-model'
import { toProductDto, type ProductDto } from './dto'

export type ProductRow = typeof products.$inferSelect

/** The text trigram search compares against: both languages, lower-cased (matches products_name_trgm_idx). */
const nameText = sql`lower((${products.name}->>'ru') || ' ' || (${products.name}->>'en'))`

/** The query's variants as one tsquery of their word forms. */
function searchQuery(variants: SearchVariant[]): SQL {
  return sql.join(
    variants.flatMap((v) => v.configs.map((config) => sql`websearch_to_tsquery(${sql.raw(`'${config}'`)}, ${v.text})`)),
    sql` || `,
  )
}

/**
 * Word forms through full-text search in both languages, typos through trigram word similarity,
 * for the query and what it may have meant (other keyboard layout, Russian in Latin letters): each
 * variant is one more condition on the same two indexes (a swapped layout gives exact words: full
 * text only).
 */
function searchCondition(variants: SearchVariant[]): SQL {
  const similar = variants.filter((v) => v.fuzzy).map((v) => sql`${nameText} %> ${v.text}`)
  return sql`(${products.search} @@ (${searchQuery(variants)}) or ${sql.join(similar, sql` or `)})`
}

function searchRank(variants: SearchVariant[]): SQL<number> {
  const similarity = variants.filter((v) => v.fuzzy).map((v) => sql`word_similarity(${v.text}, ${nameText})`)
  const best = similarity.length === 1 ? similarity[0]! : sql`greatest(${sql.join(similarity, sql`, `)})`
  return sql<number>`(ts_rank(${products.search}, ${searchQuery(variants)}) + ${best})`
}

interface Cursor {
  /** Sort value of the last row, and its id as the tie-breaker. */
  v: number
  id: number
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
/** A cursor is client input: its id must be an int4 row id, and its value one the sort column can hold (an integer for prices and positions). */
function decodeCursor(raw: string | undefined, integralSort: boolean): Cursor | undefined {
  if (!raw) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    const v = parsed?.v
    const validId = Number.isInteger(parsed?.id) && parsed.id > 0 && parsed.id <= INT4_MAX
    const validValue = typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 1e12 && (!integralSort || (Number.isInteger(v) && Math.abs(v) <= INT4_MAX))
    if (validId && validValue) return { v, id: parsed.id }
  } catch {}
  throw new DomainError('validation_failed', 'The cursor is not valid; start from the first page', 400, [{ path: 'cursor', message: 'invalid cursor' }])
}

/**
 * One page of the catalog with filters, search and a stable keyset cursor (infinite scroll
 * never repeats or skips a product while the list is unchanged). Search sorts by relevance.
 */
export async function listProducts(db: DbOrTx, query: ProductListQuery) {
  const cached = await catalogSnapshot(db)
  if (cached) return listFromSnapshot(cached.model, cached.catalog, query)
  const filters: SQL[] = [eq(products.isActive, true)]
  if (query.category) {
    const [category] = await db.select({ id: categories.id }).from(categories).where(and(eq(categories.slug, query.category), eq(categories.isActive, true)))
    if (!category) throw new DomainError('not_found', 'No such category')
    filters.push(sql`${products.categoryId} in (select id from categories where id = ${category.id} or parent_id = ${category.id})`)
  }
  const variants = query.q ? searchVariants(query.q) : []
  if (variants.length) filters.push(searchCondition(variants))
  if (query.priceMin !== undefined) filters.push(gte(products.priceMinor, query.priceMin))
  if (query.priceMax !== undefined) filters.push(lte(products.priceMinor, query.priceMax))
  if (query.inStock) filters.push(sql`${products.stock} > 0`)
  for (const tag of query.tags ?? []) filters.push(sql`${products.tags} ? ${tag}`)

  const sort = query.q && query.sort === 'popular' ? 'relevance' : query.sort
  // 'new' in whole milliseconds, as JavaScript dates hold it: the in-memory catalog's cursors are the same.
  const sortValue: SQL<number> =
    sort === 'relevance' ? searchRank(variants) : sort === 'price_asc' || sort === 'price_desc' ? sql<number>`${products.priceMinor}` : sort === 'new' ? sql<number>`extract(epoch from date_trunc('milliseconds', ${products.createdAt}))` : sql<number>`${products.position}`
  const descending = sort === 'price_desc' || sort === 'new' || sort === 'relevance'
  const cursor = decodeCursor(query.cursor, sort === 'price_asc' || sort === 'price_desc' || sort === 'popular')
  if (cursor) filters.push(descending ? sql`(${sortValue} < ${cursor.v} or (${sortValue} = ${cursor.v} and ${products.id} > ${cursor.id}))` : sql`(${sortValue}, ${products.id}) > (${cursor.v}, ${cursor.id})`)

  const rows = await db
    .select({ product: products, sortValue: sql<number>`(${sortValue})::float8`.as('sort_value') })
    .from(products)
    .where(and(...filters))
    // By the selected value's name: the (search) expression is sent and evaluated once, not twice.
    .orderBy(descending ? sql`sort_value desc` : sql`sort_value asc`, asc(products.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((r) => r.product),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ v: Number(last.sortValue), id: last.product.id }) : null,
  }
}

/** Answers kept per catalog snapshot (a handful of filters and searches make most of the traffic). */
const ANSWERS_KEPT = 256
const answers = new WeakMap<CatalogSnapshot, Map<string, Buffer>>()

/** What the list route answers (sent as the bytes `productListJson` keeps). */
export interface ProductListAnswer {
  items: ProductDto[]
  nextCursor: string | null
}

const listAnswer = (page: Awaited<ReturnType<typeof listProducts>>) => Buffer.from(JSON.stringify({ items: page.items.map(toProductDto), nextCursor: page.nextCursor } satisfies ProductListAnswer))

/**
 * The list's JSON answer as bytes. From the in-memory catalog the bytes of one query are kept with
 * the snapshot they were made from, so until the catalog changes (a NOTIFY replaces the snapshot)
 * the same filter or search is answered without filtering, sorting or serializing again: a post in
 * a channel sends hundreds of customers to the same first page at once. `isCurrent` says whether
 * the bytes still are the answer (the snapshot they came from is still this replica's current one);
 * it is undefined for an answer read from SQL (no read model).
 */
export async function productListJson(db: DbOrTx, query: ProductListQuery): Promise<{ json: Buffer; isCurrent?: () => boolean }> {
  const cached = await catalogSnapshot(db)
  if (!cached) return { json: listAnswer(await listProducts(db, query)) }
  const { model, catalog } = cached
  const isCurrent = snapshotCheck(model, catalog)
  let kept = answers.get(catalog)
  if (!kept) answers.set(catalog, (kept = new Map()))
  const key = JSON.stringify(query)
  const known = kept.get(key)
  if (known) return { json: known, isCurrent }
  const json = listAnswer(await listFromSnapshot(model, catalog, query))
  if (kept.size >= ANSWERS_KEPT) kept.delete(kept.keys().next().value!)
  kept.set(key, json)
  return { json, isCurrent }
}

type Sort = ProductListQuery['sort'] | 'relevance'

/**
 * `listProducts` over the in-memory catalog: the same filters, order and cursors as the SQL above
 * (tests/server/services/catalog/read-model.test.ts compares the two). Search asks the database
 * only which products match and their rank, once per distinct query.
 */
async function listFromSnapshot(model: CatalogReadModel, catalog: CatalogSnapshot, query: ProductListQuery) {
  let rows = catalog.products.filter((p) => p.isActive)
  if (query.category) {
    const category = catalog.categories.find((c) => c.slug === query.category && c.isActive)
    if (!category) throw new DomainError('not_found', 'No such category')
    const ids = new Set(catalog.categories.filter((c) => c.id === category.id || c.parentId === category.id).map((c) => c.id))
    rows = rows.filter((p) => ids.has(p.categoryId))
  }
  const variants = query.q ? searchVariants(query.q) : []
  let ranks: Map<number, number> | undefined
  if (variants.length) {
    ranks = await model.searchRanks(JSON.stringify(variants), () => ({ where: searchCondition(variants), rank: searchRank(variants) }))
    rows = rows.filter((p) => ranks!.has(p.id))
  }
  const { priceMin, priceMax, inStock, tags } = query
  if (priceMin !== undefined) rows = rows.filter((p) => p.priceMinor >= priceMin)
  if (priceMax !== undefined) rows = rows.filter((p) => p.priceMinor <= priceMax)
  if (inStock) rows = rows.filter((p) => p.stock > 0)
  for (const tag of tags ?? []) rows = rows.filter((p) => p.tags.includes(tag))

  const sort: Sort = query.q && query.sort === 'popular' ? 'relevance' : query.sort
  const valueOf = (p: ProductRow): number =>
    sort === 'relevance' ? ranks!.get(p.id)! : sort === 'price_asc' || sort === 'price_desc' ? p.priceMinor : sort === 'new' ? p.createdAt.getTime() / 1000 : p.position
  const descending = sort === 'price_desc' || sort === 'new' || sort === 'relevance'
  const cursor = decodeCursor(query.cursor, sort === 'price_asc' || sort === 'price_desc' || sort === 'popular')
  let valued = rows.map((product) => ({ product, v: valueOf(product) }))
  if (cursor) valued = valued.filter(({ product, v }) => (descending ? v < cursor.v : v > cursor.v) || (v === cursor.v && product.id > cursor.id))
  valued.sort((a, b) => (a.v === b.v ? a.product.id - b.product.id : descending ? b.v - a.v : a.v - b.v))
  const page = valued.slice(0, query.limit)
  const last = page.at(-1)
  return {
    items: page.map((r) => r.product),
    nextCursor: valued.length > query.limit && last ? encodeCursor({ v: last.v, id: last.product.id }) : null,
  }
}

export async function getProductBySlug(db: DbOrTx, slug: string) {
  const cached = await catalogSnapshot(db)
  if (cached) {
    const product = cached.catalog.bySlug.get(slug)
    if (!product?.isActive) throw new DomainError('not_found', 'No such product')
    return product
  }
  const [row] = await db.select().from(products).where(and(eq(products.slug, slug), eq(products.isActive, true)))
  if (!row) throw new DomainError('not_found', 'No such product')
  return row
}

export async function listCategories(db: DbOrTx) {
  const cached = await catalogSnapshot(db)
  if (cached) return cached.catalog.categories.filter((c) => c.isActive)
  return db.select().from(categories).where(eq(categories.isActive, true)).orderBy(asc(categories.position), asc(categories.id))
}

/** Price bounds and tags across active products, for the filter sheet (tags in code-point order, as the C collation sorts them). */
export async function catalogFacets(db: DbOrTx): Promise<{ priceMin: number; priceMax: number; tags: string[] }> {
  const cached = await catalogSnapshot(db)
  if (cached) {
    const active = cached.catalog.products.filter((p) => p.isActive)
    const prices = active.map((p) => p.priceMinor)
    const tags = [...new Set(active.flatMap((p) => p.tags))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return { priceMin: prices.length ? Math.min(...prices) : 0, priceMax: prices.length ? Math.max(...prices) : 0, tags }
  }
  const [bounds] = await db
    .select({ min: sql<number>`coalesce(min(${products.priceMinor}), 0)::int`, max: sql<number>`coalesce(max(${products.priceMinor}), 0)::int` })
    .from(products)
    .where(eq(products.isActive, true))
  const tags = await db.execute<{ tag: string }>(sql`select distinct jsonb_array_elements_text(tags) as tag from products where is_active order by 1`)
  return { priceMin: bounds?.min ?? 0, priceMax: bounds?.max ?? 0, tags: rowsOf<{ tag: string }>(tags).map((t) => t.tag) }
}

/**
 * The unit price of a product with the chosen options, decided here and only here. Unknown
 * options or values and missing required choices are refused; the client's idea of the price is never asked.
 */
export function priceWithOptions(product: Pick<ProductRow, 'priceMinor' | 'options'>, selected: SelectedOptions) {
  const options = product.options as ProductOption[]
  let unit = product.priceMinor
  const lines: { key: string; value: string; name: ProductOption['name']; valueName: ProductOption['name'] }[] = []
  for (const key of Object.keys(selected)) {
    if (!options.some((o) => o.key === key)) throw new DomainError('invalid_options', `Unknown option "${key}"`, 400)
  }
  for (const option of options) {
    const chosen = selected[option.key]
    if (chosen === undefined) {
      if (option.required) throw new DomainError('invalid_options', `Choose "${option.name.en}"`, 400)
      continue
    }
    const value = option.values.find((v) => v.value === chosen)
    if (!value) throw new DomainError('invalid_options', `Unknown value "${chosen}" for "${option.key}"`, 400)
    unit += value.priceDeltaMinor
    lines.push({ key: option.key, value: value.value, name: option.name, valueName: value.name })
  }
  return { unitPriceMinor: unit, options: lines }
}

/** `milk=oat;size=l`: one canonical string per option choice, so equal choices share a cart line. */
export function optionsKey(selected: SelectedOptions) {
  return Object.keys(selected)
    .sort()
    .map((k) => `${k}=${selected[k]}`)
    .join(';')
}
