import { and, asc, eq, sql } from 'drizzle-orm'
import type { Database, DbOrTx } from '../../db/client'
import { cartItems, type SelectedOptions } from '../../db/schema/cart'
import { DomainError } from '../../utils/errors'
import { optionsKey, priceWithOptions } from '../catalog/products'
import { productById, productIdsInOtherCurrencies, productsByIds } from '../catalog/stock'
import { recordActivity } from '../insights/activity'
import { preparedStatement } from '../../db/prepared'
import { rowsOf } from '../../db/results'

export const MAX_LINE_QUANTITY = 99
export const MAX_CART_LINES = 50

export type CartLineProblem = 'unavailable' | 'insufficient_stock' | 'price_changed' | 'invalid_options'

/** What pricing a cart needs of a line (a stored row, or one of the rows add-to-cart's statement answers). */
type StoredLine = Pick<typeof cartItems.$inferSelect, 'id' | 'productId' | 'options' | 'quantity' | 'seenUnitPriceMinor'>

/**
 * The cart as the customer should see it now: current prices (never the ones the client holds),
 * and for each line what changed since it was added, so checkout can show it before paying.
 */
export async function getCart(db: DbOrTx, userId: number) {
  const cartLines = await db.select().from(cartItems).where(eq(cartItems.userId, userId)).orderBy(asc(cartItems.createdAt), asc(cartItems.id))
  return priceCart(db, cartLines)
}

/** Prices stored lines (in their order) with the catalog's current products. */
async function priceCart(db: DbOrTx, cartLines: StoredLine[]) {
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
export type Cart = Awaited<ReturnType<typeof priceCart>>

interface AddedLineRow {
  id: number
  product_id: number
  options: SelectedOptions
  options_key: string
  quantity: number
  seen_unit_price_minor: number
  added: boolean
}

const param = (name: string) => sql.placeholder(name)

/** Add-to-cart's one statement (below), built once per database: it runs on every tap. */
const addLine = preparedStatement('cart_add_line', sql`
    with mine as (select id, product_id, options_key from cart_items where user_id = ${param('userId')}),
    upserted as (
      insert into cart_items (user_id, product_id, options, options_key, quantity, seen_unit_price_minor)
      select ${param('userId')}, ${param('productId')}, ${param('options')}::jsonb, ${param('key')}, ${param('quantity')}, ${param('price')}
      where not exists (select 1 from mine where product_id = any(string_to_array(${param('otherCurrency')}, ',')::int[]))
        and (exists (select 1 from mine where product_id = ${param('productId')} and options_key = ${param('key')}) or (select count(*) from mine) < ${MAX_CART_LINES})
      on conflict (user_id, product_id, options_key) do update
        set quantity = least(cart_items.quantity + excluded.quantity, ${MAX_LINE_QUANTITY}), seen_unit_price_minor = excluded.seen_unit_price_minor, updated_at = now()
        where least(cart_items.quantity + excluded.quantity, ${MAX_LINE_QUANTITY}) <= ${param('stock')}
      returning id, product_id, options, options_key, quantity, seen_unit_price_minor, created_at
    )
    select id, product_id, options, options_key, quantity, seen_unit_price_minor, created_at, false as added
      from cart_items where user_id = ${param('userId')} and id not in (select id from upserted)
    union all
    select *, true as added from upserted
    order by created_at, id`)

/**
 * Adds a product (with options) or increases the quantity of the same line; the price is the
 * server's. One statement: the insert (or the increment of the existing line, so two fast taps
 * never lose one) runs only when the cart may take it - same currency, at most MAX_CART_LINES
 * lines, never above the stock - and the same statement answers with the cart's lines after it.
 * The product comes from the catalog's in-memory copy, so that is the only round trip.
 */
export async function addToCart(db: Database, userId: number, input: { productId: number; options: SelectedOptions; quantity: number }) {
  const product = await productById(db, input.productId)
  if (!product || !product.isActive) throw new DomainError('not_found', 'This product is no longer sold')
  const { unitPriceMinor } = priceWithOptions(product, input.options)
  const key = optionsKey(input.options)
  const quantity = Math.min(input.quantity, MAX_LINE_QUANTITY)
  const insufficient = () => new DomainError('insufficient_stock', `Only ${product.stock} left`, 409, { available: product.stock })
  if (quantity > product.stock) throw insufficient()
  const otherCurrency = await productIdsInOtherCurrencies(db, product.currency)
  const values = { userId, productId: product.id, options: JSON.stringify(input.options), key, quantity, price: unitPriceMinor, stock: product.stock, otherCurrency: otherCurrency.join(',') }
  const upsert = () => addLine(db).execute(values)
  for (let attempt = 0; ; attempt++) {
    const rows = rowsOf<AddedLineRow>(await upsert())
    if (rows.some((r) => r.added)) {
      await recordActivity(db, userId, 'cart')
      return priceCart(db, rows.map((r) => ({ id: r.id, productId: Number(r.product_id), options: r.options, quantity: r.quantity, seenUnitPriceMinor: r.seen_unit_price_minor })))
    }
    // Nothing written. Say why from the cart as committed now: the statement's snapshot may miss a
    // line a concurrent tap inserted (its conflict still counted it).
    const lines = await db.select({ productId: cartItems.productId, optionsKey: cartItems.optionsKey }).from(cartItems).where(eq(cartItems.userId, userId))
    if (lines.some((l) => l.productId === product.id && l.optionsKey === key)) throw insufficient()
    const other = lines.find((l) => otherCurrency.includes(l.productId))
    if (other) throw new DomainError('cart_currency_mismatch', `This item is paid in ${product.currency}, the cart in ${(await productById(db, other.productId))?.currency}: order them separately`, 409)
    if (lines.length >= MAX_CART_LINES) throw new DomainError('cart_full', `A cart holds at most ${MAX_CART_LINES} lines`, 409)
    // The cart changed between the two reads (a line removed meanwhile): once more.
    if (attempt > 0) throw new DomainError('cart_full', `A cart holds at most ${MAX_CART_LINES} lines`, 409)
  }
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
