/**
 * The catalog as operators change it in /admin: products, categories, stock, images and CSV. Each
 * change is one transaction with its audit entry (before and after); the public page cache is
 * emptied after catalog writes (server/plugins/page-cache.ts).
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { z } from 'zod'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { categories, products } from '../../db/schema/catalog'
import type { CategoryInputSchema, CategoryPatchSchema, ProductInput, ProductPatch } from '#shared/schemas/catalog'
import { ProductInputSchema, attributeProblems } from '#shared/schemas/catalog'
import { DomainError } from '../../utils/errors'
import { parseCsv, toCsv } from '../../utils/csv'
import { write, type ServiceContext, type WriteContext } from '../context'
import { createFileStore } from '../files'
import { toCategoryDto, toProductDto } from './dto'
import { decimalAmount, parseAmount } from '#shared/money'

async function assertCategory(tx: DbOrTx, id: number) {
  const [row] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, id))
  if (!row) throw new DomainError('validation_failed', 'No such category', 400, [{ path: 'categoryId', message: 'no such category' }])
}

/** Products for /admin, hidden ones included. */
export async function listProductsForAdmin(db: DbOrTx) {
  return db.select().from(products).orderBy(asc(products.categoryId), asc(products.position), asc(products.id))
}

/** Categories for /admin, hidden ones included (the public list shows active ones only). */
export async function listCategoriesForAdmin(db: DbOrTx) {
  return db.select().from(categories).orderBy(asc(categories.position), asc(categories.id))
}

const slugTaken = (message: string) => new DomainError('conflict', message, 409, [{ path: 'slug', message: 'taken' }])

/** Adds a product (audited). */
export async function createProduct(ctx: ServiceContext, input: ProductInput) {
  return write(ctx, async (w) => {
    await assertCategory(w.db, input.categoryId)
    const [row] = await w.db
      .insert(products)
      .values(input)
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(`A product with slug "${input.slug}" exists`) : error
      })
    await w.audit({ action: 'product.create', entityType: 'product', entityId: row!.id, after: toProductDto(row!) })
    return row!
  })
}

async function changeProduct(w: WriteContext, id: number, patch: ProductPatch & { images?: string[] }) {
  const [before] = await w.db.select().from(products).where(eq(products.id, id)).for('update')
  if (!before) throw new DomainError('not_found', 'No such product')
  if (patch.categoryId) await assertCategory(w.db, patch.categoryId)
  // Attributes and the options that change them are checked together, whichever of the two changes.
  const problems = attributeProblems(patch.attributes ?? before.attributes, patch.options ?? before.options)
  if (problems.length) throw new DomainError('validation_failed', problems[0]!.message, 400, problems.map((p) => ({ path: p.path.join('.'), message: p.message })))
  const [after] = await w.db
    .update(products)
    .set(patch)
    .where(eq(products.id, id))
    .returning()
    .catch((error) => {
      throw isUniqueViolation(error) ? slugTaken('That slug is taken') : error
    })
  return { before, after: after! }
}

/**
 * Changes a product (price, texts, options, hide/show), audited with before and after; a price
 * change is its own action (`product.price`) so it can be found. Stock goes through adjustStock.
 */
export async function updateProduct(ctx: ServiceContext, id: number, patch: ProductPatch) {
  return write(ctx, async (w) => {
    const { before, after } = await changeProduct(w, id, patch)
    const action = patch.priceMinor !== undefined && patch.priceMinor !== before.priceMinor ? 'product.price' : 'product.update'
    await w.audit({ action, entityType: 'product', entityId: id, before: toProductDto(before), after: toProductDto(after) })
    return after
  })
}

/** Most images a product keeps; the oldest fall off when more are added. */
const MAX_PRODUCT_IMAGES = 12

/** Stores an uploaded image (type checked from its bytes) and appends it to the product's gallery (audited). */
export async function addProductImage(ctx: ServiceContext, id: number, bytes: Buffer) {
  const [exists] = await ctx.db.select({ id: products.id }).from(products).where(eq(products.id, id))
  if (!exists) throw new DomainError('not_found', 'No such product')
  const image = await createFileStore(ctx.config.dataDir).saveImage('products', bytes)
  return write(ctx, async (w) => {
    const [current] = await w.db.select({ images: products.images }).from(products).where(eq(products.id, id)).for('update')
    if (!current) throw new DomainError('not_found', 'No such product')
    const { before, after } = await changeProduct(w, id, { images: [...current.images, image.path].slice(-MAX_PRODUCT_IMAGES) })
    await w.audit({ action: 'product.image', entityType: 'product', entityId: id, before: { images: before.images }, after: { images: after.images } })
    return { image, product: after }
  })
}

/** Adds or removes stock with a reason (audited); never below zero, even against concurrent orders. */
export async function adjustStock(ctx: ServiceContext, id: number, delta: number, reason: string) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select({ stock: products.stock }).from(products).where(eq(products.id, id))
    if (!before) throw new DomainError('not_found', 'No such product')
    const [after] = await w.db
      .update(products)
      .set({ stock: sql`${products.stock} + ${delta}` })
      .where(and(eq(products.id, id), sql`${products.stock} + ${delta} >= 0`))
      .returning({ stock: products.stock })
    if (!after) throw new DomainError('insufficient_stock', `Only ${before.stock} in stock`, 409, { available: before.stock })
    await w.audit({ action: 'product.stock', entityType: 'product', entityId: id, before: { stock: before.stock }, after: { stock: after.stock, delta, reason } })
    return { before: before.stock, after: after.stock }
  })
}

/** Adds a category (audited). */
export async function createCategory(ctx: ServiceContext, input: z.output<typeof CategoryInputSchema>) {
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(categories)
      .values(input)
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(`A category with slug "${input.slug}" exists`) : error
      })
    await w.audit({ action: 'category.create', entityType: 'category', entityId: row!.id, after: toCategoryDto(row!) })
    return row!
  })
}

/** Changes a category (audited with before and after). */
export async function updateCategory(ctx: ServiceContext, id: number, patch: z.output<typeof CategoryPatchSchema>) {
  if (patch.parentId === id) throw new DomainError('validation_failed', 'A category cannot be its own parent', 400, [{ path: 'parentId', message: 'self' }])
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(categories).where(eq(categories.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such category')
    const [after] = await w.db.update(categories).set(patch).where(eq(categories.id, id)).returning()
    await w.audit({ action: 'category.update', entityType: 'category', entityId: id, before: toCategoryDto(before), after: toCategoryDto(after!) })
    return after!
  })
}

export const CSV_COLUMNS = ['slug', 'category', 'name_ru', 'name_en', 'description_ru', 'description_en', 'price', 'compare_at_price', 'currency', 'stock', 'active', 'tags', 'images'] as const

/** Prices in the CSV are decimals of the product's currency (shared/money.ts): "219.90" RUB, "250" Stars. */
const money = (minor: number | null, currency: string) => (minor === null ? '' : decimalAmount(minor, currency))
const parseMoney = (raw: string, currency: string) => {
  const minor = parseAmount(raw, currency)
  return minor === null || minor < 0 ? Number.NaN : minor
}

export async function exportProductsCsv(db: DbOrTx) {
  const [rows, cats] = await Promise.all([listProductsForAdmin(db), db.select({ id: categories.id, slug: categories.slug }).from(categories)])
  const slugOf = new Map(cats.map((c) => [c.id, c.slug]))
  return toCsv([
    [...CSV_COLUMNS],
    ...rows.map((p) => [p.slug, slugOf.get(p.categoryId), p.name.ru, p.name.en, p.description.ru, p.description.en, money(p.priceMinor, p.currency), money(p.compareAtPriceMinor, p.currency), p.currency, p.stock, p.isActive ? 'yes' : 'no', p.tags.join(';'), p.images.join(';')]),
  ])
}

export interface CsvRowError {
  /** 1-based line number in the file, header included, as a spreadsheet shows it. */
  row: number
  field: string
  message: string
}

/**
 * Imports products from CSV: each row is checked on its own; good rows are created or updated by
 * slug, bad rows are reported with line, field and reason and change nothing.
 */
export async function importProductsCsv(ctx: ServiceContext, text: string) {
  const db = ctx.db
  const table = parseCsv(text)
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase())
  const missing = ['slug', 'category', 'name_ru', 'name_en', 'price'].filter((c) => !header.includes(c))
  if (missing.length) throw new DomainError('validation_failed', `The CSV needs the columns: ${missing.join(', ')}`, 400, missing.map((m) => ({ path: m, message: 'missing column' })))
  const cats = new Map((await db.select({ id: categories.id, slug: categories.slug }).from(categories)).map((c) => [c.slug, c.id]))
  const errors: CsvRowError[] = []
  const valid: { line: number; input: ProductInput; stockGiven: boolean }[] = []
  const seen = new Set<string>()
  table.slice(1).forEach((cells, index) => {
    const line = index + 2
    const get = (name: string) => (cells[header.indexOf(name)] ?? '').trim()
    const rowErrors: CsvRowError[] = []
    const categoryId = cats.get(get('category'))
    if (!categoryId) rowErrors.push({ row: line, field: 'category', message: `unknown category "${get('category')}"` })
    const currency = get('currency').toUpperCase() || 'RUB'
    const price = parseMoney(get('price'), currency)
    if (Number.isNaN(price)) rowErrors.push({ row: line, field: 'price', message: `not a price: "${get('price')}"` })
    const compareAt = get('compare_at_price') ? parseMoney(get('compare_at_price'), currency) : null
    if (Number.isNaN(compareAt)) rowErrors.push({ row: line, field: 'compare_at_price', message: 'not a price' })
    const stockRaw = get('stock')
    if (stockRaw && !/^\d+$/.test(stockRaw)) rowErrors.push({ row: line, field: 'stock', message: `not a whole number: "${stockRaw}"` })
    const active = get('active').toLowerCase()
    if (active && !['yes', 'no', 'true', 'false', '1', '0', 'да', 'нет'].includes(active)) rowErrors.push({ row: line, field: 'active', message: 'use yes or no' })
    if (seen.has(get('slug'))) rowErrors.push({ row: line, field: 'slug', message: 'repeated in this file' })
    if (rowErrors.length === 0) {
      const parsed = ProductInputSchema.safeParse({
        slug: get('slug'),
        categoryId,
        name: { ru: get('name_ru'), en: get('name_en') },
        description: { ru: get('description_ru'), en: get('description_en') },
        priceMinor: price,
        compareAtPriceMinor: compareAt,
        currency: get('currency') || 'RUB',
        stock: stockRaw ? Number(stockRaw) : 0,
        isActive: !active || ['yes', 'true', '1', 'да'].includes(active),
        tags: get('tags').split(';').map((t) => t.trim()).filter(Boolean),
        images: get('images') ? get('images').split(';').map((t) => t.trim()).filter(Boolean) : [],
      })
      if (parsed.success) valid.push({ line, input: parsed.data, stockGiven: Boolean(stockRaw) })
      else for (const issue of parsed.error.issues) rowErrors.push({ row: line, field: issue.path.join('.') || 'row', message: issue.message })
    }
    seen.add(get('slug'))
    errors.push(...rowErrors)
  })
  let created = 0
  let updated = 0
  // One transaction for the file; one audit entry per product that changed, with before and after.
  await write(ctx, async (w) => {
    for (const { input, stockGiven } of valid) {
      const [existing] = await w.db.select().from(products).where(eq(products.slug, input.slug)).for('update')
      if (existing) {
        // Columns the CSV does not carry (options, attributes) keep their values; so do empty tags and images cells.
        const { slug: _slug, stock, options: _options, position: _position, attributes: _attributes, tags, images, ...patch } = input
        const [after] = await w.db
          .update(products)
          .set({ ...patch, tags: tags.length ? tags : existing.tags, images: images.length ? images : existing.images, ...(stockGiven ? { stock } : {}) })
          .where(eq(products.id, existing.id))
          .returning()
        const [was, now] = [toProductDto(existing), toProductDto(after!)]
        if (JSON.stringify(was) !== JSON.stringify(now)) await w.audit({ action: 'product.import', entityType: 'product', entityId: existing.id, before: was, after: now })
        updated++
      } else {
        const [row] = await w.db.insert(products).values(input).returning()
        await w.audit({ action: 'product.import', entityType: 'product', entityId: row!.id, after: toProductDto(row!) })
        created++
      }
    }
  })
  return { created, updated, failed: new Set(errors.map((e) => e.row)).size, errors }
}
