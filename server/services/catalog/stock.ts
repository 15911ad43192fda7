/**
 * The catalog as other modules use it: the cart reads products through here, orders take and give
 * back stock through here. Nobody outside the catalog touches the products table.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { products } from '../../db/schema/catalog'
import type { ProductRow } from './products'

/** Products by id (hidden ones included: a cart must still show what became unavailable). */
export async function productsByIds(db: DbOrTx, ids: readonly number[]): Promise<Map<number, ProductRow>> {
  if (!ids.length) return new Map()
  const rows = await db.select().from(products).where(inArray(products.id, [...new Set(ids)]))
  return new Map(rows.map((row) => [row.id, row]))
}

/** One product by id, if it exists. */
export async function productById(db: DbOrTx, id: number): Promise<ProductRow | undefined> {
  const [row] = await db.select().from(products).where(eq(products.id, id))
  return row
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
