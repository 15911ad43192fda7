import { and, asc, eq, sql } from 'drizzle-orm'
import type { Database, DbOrTx } from '../../db/client'
import { cartItems, type SelectedOptions } from '../../db/schema/cart'
import { DomainError } from '../../utils/errors'
import { optionsKey, priceWithOptions } from '../catalog/products'
import { productById, productsByIds } from '../catalog/stock'

export const MAX_LINE_QUANTITY = 99
export const MAX_CART_LINES = 50

export type CartLineProblem = 'unavailable' | 'insufficient_stock' | 'price_changed' | 'invalid_options'

/**
 * The cart as the customer should see it now: current prices (never the ones the client holds),
 * and for each line what changed since it was added, so checkout can show it before paying.
 */
export async function getCart(db: DbOrTx, userId: number) {
  const cartLines = await db.select().from(cartItems).where(eq(cartItems.userId, userId)).orderBy(asc(cartItems.createdAt), asc(cartItems.id))
  const productOf = await productsByIds(db, cartLines.map((l) => l.productId))
  let currency: string | undefined
  const lines = cartLines.map((line) => {
    const product = productOf.get(line.productId)!
    const problems: CartLineProblem[] = []
    let unitPriceMinor = product.priceMinor
    let options: ReturnType<typeof priceWithOptions>['options'] = []
    try {
      ;({ unitPriceMinor, options } = priceWithOptions(product, line.options))
    } catch {
      problems.push('invalid_options')
    }
    if (!product.isActive) problems.push('unavailable')
    else if (product.stock < line.quantity) problems.push('insufficient_stock')
    if (unitPriceMinor !== line.seenUnitPriceMinor) problems.push('price_changed')
    currency ??= product.currency
    return {
      id: line.id,
      productId: product.id,
      slug: product.slug,
      name: product.name,
      image: product.images[0] ?? null,
      options,
      selectedOptions: line.options,
      quantity: line.quantity,
      available: product.isActive ? product.stock : 0,
      unitPriceMinor,
      previousUnitPriceMinor: unitPriceMinor !== line.seenUnitPriceMinor ? line.seenUnitPriceMinor : null,
      totalMinor: unitPriceMinor * line.quantity,
      problems,
    }
  })
  const orderable = lines.filter((l) => !l.problems.some((p) => p !== 'price_changed'))
  return {
    lines,
    currency: currency ?? 'RUB',
    itemsTotalMinor: orderable.reduce((sum, l) => sum + l.totalMinor, 0),
    count: lines.reduce((sum, l) => sum + l.quantity, 0),
    hasProblems: lines.some((l) => l.problems.length > 0),
  }
}
export type Cart = Awaited<ReturnType<typeof getCart>>

/**
 * Adds a product (with options) or increases the quantity of the same line; the price is the
 * server's. The increment is one statement (insert, or add to the existing line), so two fast taps
 * never lose one; a result above the stock is rolled back.
 */
export async function addToCart(db: Database, userId: number, input: { productId: number; options: SelectedOptions; quantity: number }) {
  const product = await productById(db, input.productId)
  if (!product || !product.isActive) throw new DomainError('not_found', 'This product is no longer sold')
  const { unitPriceMinor } = priceWithOptions(product, input.options)
  const key = optionsKey(input.options)
  await db.transaction(async (tx) => {
    const lines = await tx.select({ productId: cartItems.productId, optionsKey: cartItems.optionsKey }).from(cartItems).where(eq(cartItems.userId, userId))
    const isNewLine = !lines.some((l) => l.productId === product.id && l.optionsKey === key)
    if (isNewLine) {
      const others = await productsByIds(tx, lines.map((l) => l.productId))
      const other = [...others.values()].find((p) => p.currency !== product.currency)
      if (other) throw new DomainError('cart_currency_mismatch', `This item is paid in ${product.currency}, the cart in ${other.currency}: order them separately`, 409)
      if (lines.length >= MAX_CART_LINES) throw new DomainError('cart_full', `A cart holds at most ${MAX_CART_LINES} lines`, 409)
    }
    const [line] = await tx
      .insert(cartItems)
      .values({ userId, productId: product.id, options: input.options, optionsKey: key, quantity: Math.min(input.quantity, MAX_LINE_QUANTITY), seenUnitPriceMinor: unitPriceMinor })
      .onConflictDoUpdate({
        target: [cartItems.userId, cartItems.productId, cartItems.optionsKey],
        set: { quantity: sql`least(${cartItems.quantity} + excluded.quantity, ${MAX_LINE_QUANTITY})`, seenUnitPriceMinor: unitPriceMinor },
      })
      .returning({ quantity: cartItems.quantity })
    if (line!.quantity > product.stock) throw new DomainError('insufficient_stock', `Only ${product.stock} left`, 409, { available: product.stock })
  })
  return getCart(db, userId)
}

export async function setCartLineQuantity(db: DbOrTx, userId: number, lineId: number, quantity: number) {
  if (quantity === 0) return removeCartLine(db, userId, lineId)
  const [line] = await db.select({ productId: cartItems.productId }).from(cartItems).where(and(eq(cartItems.id, lineId), eq(cartItems.userId, userId)))
  if (!line) throw new DomainError('not_found', 'No such cart line')
  const stock = (await productById(db, line.productId))?.stock ?? 0
  if (quantity > stock) throw new DomainError('insufficient_stock', `Only ${stock} left`, 409, { available: stock })
  await db.update(cartItems).set({ quantity }).where(and(eq(cartItems.id, lineId), eq(cartItems.userId, userId)))
  return getCart(db, userId)
}

export async function removeCartLine(db: DbOrTx, userId: number, lineId: number) {
  await db.delete(cartItems).where(and(eq(cartItems.id, lineId), eq(cartItems.userId, userId)))
  return getCart(db, userId)
}

/** The customer has seen the new prices: they become the expected ones. */
export async function acceptCartPrices(db: DbOrTx, userId: number) {
  const cart = await getCart(db, userId)
  for (const line of cart.lines) {
    if (line.previousUnitPriceMinor !== null) await db.update(cartItems).set({ seenUnitPriceMinor: line.unitPriceMinor }).where(eq(cartItems.id, line.id))
  }
  return getCart(db, userId)
}

export async function clearCart(db: DbOrTx, userId: number) {
  await db.delete(cartItems).where(eq(cartItems.userId, userId))
}
