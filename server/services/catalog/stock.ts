/**
 * The catalog as other modules use it: the cart reads products through here, orders take and give
 * back stock through here. Nobody outside the catalog touches the products table.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { products } from '../../db/schema/catalog'
import type { ProductRow } from './products'
import { catalogSnapshot } from './read-model'

/** Products by id (hidden ones included: a cart must still show what became unavailable). */
export async function productsByIds(db: DbOrTx, ids: readonly number[]): Promise<Map<number, ProductRow>> {
  if (!ids.length) return new Map()
  const cached = await catalogSnapshot(db)
  if (cached) return new Map(ids.flatMap((id) => (cached.catalog.byId.has(id) ? [[id, cached.catalog.byId.get(id)!] as const] : [])))
  const rows = await db.select().from(products).where(inArray(products.id, [...new Set(ids)]))
  return new Map(rows.map((row) => [row.id, row]))
}

/** One product by id, if it exists. */
export async function productById(db: DbOrTx, id: number): Promise<ProductRow | undefined> {
  const cached = await catalogSnapshot(db)
  if (cached) return cached.catalog.byId.get(id)
  const [row] = await db.select().from(products).where(eq(products.id, id))
  return row
}

/** Ids of the products sold in another currency than `currency` (a cart holds one currency). */
export async function productIdsInOtherCurrencies(db: DbOrTx, currency: string): Promise<number[]> {
  const cached = await catalogSnapshot(db)
  if (cached) return cached.catalog.products.filter((p) => p.currency !== currency).map((p) => p.id)
  const rows = await db.select({ id: products.id }).from(products).where(ne(products.currency, currency))
  return rows.map((r) => r.id)
}

/**
 * Takes `quantity` of a product for an order: one conditional decrement, so stock never goes below
 * zero whatever the concurrency. False when the product is hidden or has fewer left.
 */
export async function takeStock(tx: DbOrTx, productId: number, quantity: number): Promise<boolean> {
  const taken = await tx
    .update(products)
    .set({ stock: sql`${products.stock} - ${quantity}` })
    .where(and(eq(products.id, productId), eq(products.isActive, true), sql`${products.stock} >= ${quantity}`))
    .returning({ id: products.id })
  return taken.length > 0
}

/** Gives stock back (an order cancelled before it left). */
export async function returnStock(tx: DbOrTx, productId: number, quantity: number): Promise<void> {
  await tx.update(products).set({ stock: sql`${products.stock} + ${quantity}` }).where(eq(products.id, productId))
}

/** Products by slug (hidden ones included), for partners that know our products by it. */
export async function productsBySlugs(db: DbOrTx, slugs: readonly string[]): Promise<ProductRow[]> {
  if (!slugs.length) return []
  return db.select().from(products).where(inArray(products.slug, [...new Set(slugs)]))
}

/** Sets a product's stock to what the warehouse says is free for us (never below zero); returns before and after. */
export async function setStock(tx: DbOrTx, productId: number, to: number) {
  const [before] = await tx.select({ stock: products.stock }).from(products).where(eq(products.id, productId)).for('update')
  if (!before) return undefined
  const value = Math.max(0, Math.floor(to))
  await tx.update(products).set({ stock: value }).where(eq(products.id, productId))
  return { before: before.stock, after: value }
}
