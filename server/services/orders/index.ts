import { randomInt } from 'node:crypto'
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import type { Database, DbOrTx } from '../../db/client'
import { deliveryZones, orderItems, orderStatusHistory, orders, pickupPoints, products, userAddresses } from '../../db/schema'
import type { OrderStatus, PaymentMethod, SavedAddress, TelegramShippingAddress } from '../../db/schema/orders'
import type { AdminOrdersQuery, CheckoutInput } from '#shared/schemas/orders'
import { DomainError } from '../../utils/errors'
import { clearCart, getCart } from '../cart'
import { shippingAddressText } from './shipping'

/** How long stock stays reserved for an order paid through Telegram. */
export const PAYMENT_WINDOW_MINUTES = 30

/** Which status may follow which for an order a courier takes (`ready`: packed, waiting for the courier). Anything else is refused. */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  new: ['in_progress', 'cancelled'],
  awaiting_payment: ['paid', 'cancelled'],
  paid: ['in_progress', 'refunded'],
  in_progress: ['ready', 'shipped', 'cancelled', 'refunded'],
  ready: ['shipped', 'done', 'cancelled', 'refunded'],
  shipped: ['done', 'refunded'],
  done: ['refunded'],
  cancelled: [],
  refunded: [],
}

/** A pickup order is never shipped: it is ready for pickup, then done when the customer takes it. */
export const PICKUP_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  ...ORDER_TRANSITIONS,
  in_progress: ['ready', 'cancelled', 'refunded'],
  ready: ['done', 'cancelled', 'refunded'],
  shipped: [],
}

/** The statuses that may follow this order's, by how it is received. */
export function orderTransitions(order: Pick<OrderRow, 'status' | 'deliveryMethod'>): readonly OrderStatus[] {
  return (order.deliveryMethod === 'pickup' ? PICKUP_TRANSITIONS : ORDER_TRANSITIONS)[order.status]
}

/**
 * What staff may set by hand: everything the machine allows except `paid` and `refunded`, which
 * only the payment flow sets (a successful payment, a refund), so money and status never disagree.
 */
export function staffTransitions(order: Pick<OrderRow, 'status' | 'deliveryMethod'>): OrderStatus[] {
  return orderTransitions(order).filter((s) => s !== 'paid' && s !== 'refunded')
}

export type Actor = { kind: 'customer' | 'staff' | 'system'; id?: number }
export type OrderRow = typeof orders.$inferSelect

/** Delivery cost for a zone: free from the threshold, refused below the zone's minimum. */
export function deliveryPrice(zone: Pick<typeof deliveryZones.$inferSelect, 'priceMinor' | 'freeFromMinor' | 'minOrderMinor'>, itemsTotalMinor: number) {
  if (itemsTotalMinor < zone.minOrderMinor) throw new DomainError('below_minimum_order', 'The order is below the minimum for this delivery zone', 409, { minOrderMinor: zone.minOrderMinor })
  return zone.freeFromMinor !== null && itemsTotalMinor >= zone.freeFromMinor ? 0 : zone.priceMinor
}

export async function listDeliveryOptions(db: DbOrTx) {
  const [points, zones] = await Promise.all([
    db.select().from(pickupPoints).where(eq(pickupPoints.isActive, true)).orderBy(asc(pickupPoints.id)),
    db.select().from(deliveryZones).where(eq(deliveryZones.isActive, true)).orderBy(asc(deliveryZones.priceMinor)),
  ])
  return { pickupPoints: points, deliveryZones: zones }
}

/** What the order would cost now, computed from the server's cart and prices only. */
export async function quoteCheckout(db: DbOrTx, userId: number, input: Pick<CheckoutInput, 'delivery'>) {
  const cart = await getCart(db, userId)
  let deliveryMinor = 0
  if (input.delivery.method === 'courier') {
    const [zone] = await db.select().from(deliveryZones).where(and(eq(deliveryZones.id, input.delivery.zoneId), eq(deliveryZones.isActive, true)))
    if (!zone) throw new DomainError('not_found', 'No such delivery zone')
    deliveryMinor = deliveryPrice(zone, cart.itemsTotalMinor)
  } else if (input.delivery.method === 'pickup') {
    const [point] = await db.select({ id: pickupPoints.id }).from(pickupPoints).where(and(eq(pickupPoints.id, input.delivery.pickupPointId), eq(pickupPoints.isActive, true)))
    if (!point) throw new DomainError('not_found', 'No such pickup point')
  }
  // telegram_shipping: delivery is priced in Telegram's form once the address is known.
  return { cart, deliveryMinor, totalMinor: cart.itemsTotalMinor + deliveryMinor }
}

function orderNumber() {
  const date = new Date()
  const day = `${String(date.getUTCFullYear()).slice(2)}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`
  return `${day}-${randomInt(1000, 10000)}`
}

export async function findOrderByIdempotencyKey(db: DbOrTx, userId: number, key: string) {
  const [row] = await db.select().from(orders).where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)))
  return row
}

const isUniqueViolation = (error: unknown, index: string) => {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown }
  const inner = (e?.cause ?? e) as typeof e
  return inner?.code === '23505' && (inner.constraint_name === index || inner.constraint === index || String(inner.message).includes(index))
}

/**
 * Turns the customer's cart into an order in one transaction: prices and delivery from the
 * server, stock taken with a conditional decrement (never below zero, whatever the concurrency),
 * cart cleared. The same Idempotency-Key returns the same order instead of a second one.
 */
export async function createOrder(db: Database, userId: number, input: CheckoutInput, idempotencyKey: string, options: { allowedPaymentMethods: readonly PaymentMethod[]; telegramShipping?: boolean }) {
  const existing = await findOrderByIdempotencyKey(db, userId, idempotencyKey)
  if (existing) return { order: existing, created: false }
  if (!options.allowedPaymentMethods.includes(input.paymentMethod)) throw new DomainError('payment_method_unavailable', 'This payment method is not available', 409)
  if (input.delivery.method === 'telegram_shipping' && (!options.telegramShipping || input.paymentMethod !== 'telegram')) {
    throw new DomainError('delivery_method_unavailable', 'Delivery to an address given in Telegram is only available when paying in Telegram, if the business offers it', 409)
  }
  try {
    const order = await db.transaction(async (tx) => {
      const quote = await quoteCheckout(tx, userId, input)
      const { cart } = quote
      if (cart.lines.length === 0) throw new DomainError('cart_empty', 'The cart is empty', 409)
      // Telegram collects shipping addresses for card payments only, never for Stars.
      if (input.delivery.method === 'telegram_shipping' && cart.currency === 'XTR') {
        throw new DomainError('delivery_method_unavailable', 'Telegram Stars payments cannot carry a shipping address', 409)
      }
      const blocking = cart.lines.filter((l) => l.problems.length > 0)
      if (blocking.length) {
        throw new DomainError('cart_changed', 'Some items changed: check the cart before ordering', 409, blocking.map((l) => ({ lineId: l.id, slug: l.slug, problems: l.problems, available: l.available, unitPriceMinor: l.unitPriceMinor })))
      }
      for (const line of cart.lines) {
        const taken = await tx
          .update(products)
          .set({ stock: sql`${products.stock} - ${line.quantity}` })
          .where(and(eq(products.id, line.productId), eq(products.isActive, true), sql`${products.stock} >= ${line.quantity}`))
          .returning({ id: products.id })
        if (taken.length === 0) throw new DomainError('out_of_stock', 'Someone was faster: an item sold out', 409, [{ slug: line.slug }])
      }
      const prepaid = input.paymentMethod === 'telegram'
      const status: OrderStatus = prepaid ? 'awaiting_payment' : 'new'
      const delivery = input.delivery
      let inserted: OrderRow | undefined
      for (let attempt = 0; !inserted && attempt < 5; attempt++) {
        ;[inserted] = await tx
          .insert(orders)
          .values({
            number: orderNumber(),
            userId,
            status,
            currency: cart.currency,
            itemsTotalMinor: cart.itemsTotalMinor,
            deliveryMinor: quote.deliveryMinor,
            totalMinor: quote.totalMinor,
            deliveryMethod: delivery.method,
            pickupPointId: delivery.method === 'pickup' ? delivery.pickupPointId : null,
            deliveryZoneId: delivery.method === 'courier' ? delivery.zoneId : null,
            address: delivery.method === 'courier' ? delivery.address : null,
            contactName: input.contact.name,
            contactPhone: input.contact.phone,
            comment: input.comment ?? null,
            paymentMethod: input.paymentMethod,
            idempotencyKey,
            reservedUntil: prepaid ? sql`now() + make_interval(mins => ${PAYMENT_WINDOW_MINUTES})` : null,
          })
          .onConflictDoNothing({ target: orders.number })
          .returning()
      }
      if (!inserted) throw new Error('could not allocate an order number')
      await tx.insert(orderItems).values(
        cart.lines.map((l) => ({ orderId: inserted!.id, productId: l.productId, name: l.name, options: l.options, unitPriceMinor: l.unitPriceMinor, quantity: l.quantity, totalMinor: l.totalMinor })),
      )
      await tx.insert(orderStatusHistory).values({ orderId: inserted.id, fromStatus: null, toStatus: status, actorKind: 'customer', actorId: userId })
      if (delivery.method === 'courier' && input.saveAddress) await rememberAddress(tx, userId, delivery.address)
      await clearCart(tx, userId)
      return inserted
    })
    return { order, created: true }
  } catch (error) {
    // A concurrent retry with the same key won the insert: answer with its order.
    if (isUniqueViolation(error, 'orders_idempotency_idx')) {
      const order = await findOrderByIdempotencyKey(db, userId, idempotencyKey)
      if (order) return { order, created: false }
    }
    throw error
  }
}

async function rememberAddress(tx: DbOrTx, userId: number, address: SavedAddress) {
  const [same] = await tx.select({ id: userAddresses.id }).from(userAddresses).where(and(eq(userAddresses.userId, userId), sql`${userAddresses.address}->>'text' = ${address.text}`))
  if (same) await tx.update(userAddresses).set({ address, lastUsedAt: sql`now()` }).where(eq(userAddresses.id, same.id))
  else await tx.insert(userAddresses).values({ userId, address })
}

export async function listSavedAddresses(db: DbOrTx, userId: number) {
  return db.select().from(userAddresses).where(eq(userAddresses.userId, userId)).orderBy(desc(userAddresses.lastUsedAt)).limit(10)
}

/** An order with its lines, timeline and pickup point; `userId` scopes it to its owner when given. */
export async function getOrder(db: DbOrTx, orderId: number, userId?: number) {
  const [order] = await db.select().from(orders).where(userId === undefined ? eq(orders.id, orderId) : and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) throw new DomainError('not_found', 'No such order')
  const [items, history, points] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id)),
    db.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, orderId)).orderBy(asc(orderStatusHistory.createdAt), asc(orderStatusHistory.id)),
    order.pickupPointId === null ? [] : db.select({ name: pickupPoints.name, address: pickupPoints.address, hours: pickupPoints.hours }).from(pickupPoints).where(eq(pickupPoints.id, order.pickupPointId)),
  ])
  return { ...order, items, history, pickupPoint: points[0] ?? null }
}

export async function listCustomerOrders(db: DbOrTx, userId: number, limit = 50) {
  return db.select().from(orders).where(eq(orders.userId, userId)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit)
}

async function releaseStock(tx: DbOrTx, order: OrderRow) {
  if (order.stockReleasedAt) return
  const items = await tx.select({ productId: orderItems.productId, quantity: orderItems.quantity }).from(orderItems).where(eq(orderItems.orderId, order.id))
  for (const item of items) await tx.update(products).set({ stock: sql`${products.stock} + ${item.quantity}` }).where(eq(products.id, item.productId))
  await tx.update(orders).set({ stockReleasedAt: sql`now()` }).where(eq(orders.id, order.id))
}

/**
 * Moves an order along the status machine. The UPDATE checks the expected current status, so two
 * operators (or an operator and the expiry job) cannot both act on the same state. Cancelling
 * before shipping returns the stock. Returns before/after for the audit log.
 */
export async function transitionOrder(tx: DbOrTx, orderId: number, to: OrderStatus, actor: Actor, note?: string) {
  const [before] = await tx.select().from(orders).where(eq(orders.id, orderId))
  if (!before) throw new DomainError('not_found', 'No such order')
  const allowed = orderTransitions(before)
  if (!allowed.includes(to)) {
    throw new DomainError('invalid_transition', `An order that is ${before.status} cannot become ${to}`, 409, { from: before.status, to, allowed })
  }
  const [after] = await tx
    .update(orders)
    .set({ status: to, ...(to === 'paid' ? { reservedUntil: null } : {}) })
    .where(and(eq(orders.id, orderId), eq(orders.status, before.status)))
    .returning()
  if (!after) throw new DomainError('conflict', 'The order changed meanwhile; reload it', 409)
  if (to === 'cancelled' && before.status !== 'shipped') await releaseStock(tx, after)
  await tx.insert(orderStatusHistory).values({ orderId, fromStatus: before.status, toStatus: to, actorKind: actor.kind, actorId: actor.id ?? null, note: note ?? null })
  return { before, after }
}

/**
 * A `telegram_shipping` order learns where it goes with its payment: Telegram's address, the chosen
 * option and its zone, and the delivery price, which the total then includes. Call inside the
 * payment's transaction, before marking the order paid.
 */
export async function applyTelegramShipping(tx: DbOrTx, orderId: number, shipping: { address: TelegramShippingAddress; optionId: string; zoneId: number; priceMinor: number }) {
  const [after] = await tx
    .update(orders)
    .set({
      shippingAddress: shipping.address,
      shippingOptionId: shipping.optionId,
      deliveryZoneId: shipping.zoneId,
      address: { text: shippingAddressText(shipping.address) },
      deliveryMinor: shipping.priceMinor,
      totalMinor: sql`${orders.itemsTotalMinor} + ${shipping.priceMinor} - ${orders.discountMinor}`,
    })
    .where(and(eq(orders.id, orderId), eq(orders.deliveryMethod, 'telegram_shipping'), eq(orders.status, 'awaiting_payment')))
    .returning()
  if (!after) throw new DomainError('conflict', 'The order changed meanwhile; reload it', 409)
  return after
}

/** Cancels unpaid orders whose payment window ended and gives their stock back. Safe to run anywhere, any time. */
export async function releaseExpiredReservations(db: Database, limit = 100) {
  const due = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'awaiting_payment'), lt(orders.reservedUntil, sql`now()`), isNull(orders.stockReleasedAt)))
    .limit(limit)
  const released: number[] = []
  for (const { id } of due) {
    try {
      await db.transaction((tx) => transitionOrder(tx, id, 'cancelled', { kind: 'system' }, 'Not paid in time'))
      released.push(id)
    } catch (error) {
      // Paid or cancelled meanwhile: nothing to release.
      if (!(error instanceof DomainError)) throw error
    }
  }
  return released
}

export async function ordersByIds(db: DbOrTx, ids: number[]) {
  return ids.length ? db.select().from(orders).where(inArray(orders.id, ids)) : []
}

/** The id of the order with exactly this number (case-insensitive), for other modules' search boxes. */
export async function orderIdByNumber(db: DbOrTx, number: string) {
  const [row] = await db.select({ id: orders.id }).from(orders).where(sql`upper(${orders.number}) = upper(${number})`).limit(1)
  return row?.id
}

/** Operators' order list: filter by status and dates, search by number, phone or name, newest first. */
export async function listOrdersForAdmin(db: DbOrTx, query: AdminOrdersQuery) {
  const filters = []
  if (query.status?.length) filters.push(inArray(orders.status, query.status))
  if (query.from) filters.push(gte(orders.createdAt, query.from))
  if (query.to) filters.push(lt(orders.createdAt, query.to))
  if (query.q) {
    const like = `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
    const digits = query.q.replace(/\D/g, '')
    filters.push(sql`(${orders.number} ilike ${like} or ${orders.contactName} ilike ${like}${digits.length >= 4 ? sql` or ${orders.contactPhone} like ${`%${digits}%`}` : sql``})`)
  }
  if (query.before) filters.push(lt(orders.id, query.before))
  const rows = await db
    .select()
    .from(orders)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(orders.id))
    .limit(query.limit + 1)
  return { items: rows.slice(0, query.limit), nextBefore: rows.length > query.limit ? rows[query.limit - 1]!.id : null }
}
