import { randomInt } from 'node:crypto'
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { preparedPer } from '../../db/prepared'
import { orderItems, orderStatusHistory, orders, type OrderStatus } from '../../db/schema/orders'
import type { TelegramShippingAddress } from '../../db/schema/delivery'
import type { AdminOrdersQuery, CheckoutInput } from '#shared/schemas/orders'
import { DomainError } from '../../utils/errors'
import { historyActorKind, write, type ServiceContext, type WriteContext } from '../context'
import { clearCart, getCart } from '../cart'
import { returnStock, takeStock } from '../catalog/stock'
import { activeDeliveryZone, activePickupPoint, deliveryPrice, pickupPointById } from '../delivery'
import { shippingAddressText, telegramShippingAvailable } from '../delivery/shipping'
import { allowedPaymentMethods } from './payment-methods'
import { rememberAddress } from '../account/addresses'
import { orderStatusJobOptions, orderStatusNotificationJob } from '../notifications/jobs'
import { releaseExpiredOrdersJob } from './jobs'
import { emitIntegrationEvent } from '../integrations/outbox'
import type { IntegrationEventType, OrderEventPayload } from '#shared/schemas/integrations'
import { containsPattern } from '../../db/like'

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

/** Statuses in which the customer may still cancel by themselves: nobody has started on the order. */
export const CUSTOMER_CANCELLABLE: readonly OrderStatus[] = ['new', 'awaiting_payment']

export type OrderRow = typeof orders.$inferSelect

/** The statuses that may follow this order's, by how it is received. */
export function orderTransitions(order: Pick<OrderRow, 'status' | 'deliveryMethod'>): readonly OrderStatus[] {
  return (order.deliveryMethod === 'pickup' ? PICKUP_TRANSITIONS : ORDER_TRANSITIONS)[order.status]
}

/** Whether the customer may cancel this order themselves (the Mini App shows the button from this). */
export const customerMayCancel = (order: Pick<OrderRow, 'status'>) => CUSTOMER_CANCELLABLE.includes(order.status)

/** Paid in Telegram: money was taken, so undoing the order means refunding the payment. */
const paidInTelegram = (order: Pick<OrderRow, 'status' | 'paymentMethod'>) => order.paymentMethod === 'telegram' && !CUSTOMER_CANCELLABLE.includes(order.status)

/**
 * What staff may set by hand: everything the machine allows except `paid` and `refunded`, which
 * only the payment flow sets (a successful payment, a refund), and except cancelling an order
 * paid in Telegram, which goes through a refund, so money and status never disagree.
 */
export function staffTransitions(order: Pick<OrderRow, 'status' | 'paymentMethod' | 'deliveryMethod'>): OrderStatus[] {
  return orderTransitions(order).filter((s) => s !== 'paid' && s !== 'refunded' && !(s === 'cancelled' && paidInTelegram(order)))
}

/** What the order would cost now, computed from the server's cart and prices only. */
export async function quoteCheckout(db: DbOrTx, userId: number, input: Pick<CheckoutInput, 'delivery'>) {
  const cart = await getCart(db, userId)
  let deliveryMinor = 0
  if (input.delivery.method === 'courier') deliveryMinor = deliveryPrice(await activeDeliveryZone(db, input.delivery.zoneId), cart.itemsTotalMinor)
  else if (input.delivery.method === 'pickup') await activePickupPoint(db, input.delivery.pickupPointId)
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

const customerId = (ctx: ServiceContext) => {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only a customer places and cancels their own orders')
  return ctx.actor.userId
}

/**
 * Turns the customer's cart into an order in one transaction: prices and delivery from the
 * server, stock taken with a conditional decrement (never below zero, whatever the concurrency),
 * cart cleared, the chat confirmation and (for an order paid in Telegram) the end of its payment
 * window queued with it. The same Idempotency-Key returns the same order instead of a second one.
 */
export async function createOrder(ctx: ServiceContext, input: CheckoutInput, idempotencyKey: string) {
  const userId = customerId(ctx)
  const existing = await findOrderByIdempotencyKey(ctx.db, userId, idempotencyKey)
  if (existing) return { order: existing, created: false }
  if (!(await allowedPaymentMethods(ctx)).includes(input.paymentMethod)) throw new DomainError('payment_method_unavailable', 'This payment method is not available', 409)
  if (input.delivery.method === 'telegram_shipping' && (input.paymentMethod !== 'telegram' || !(await telegramShippingAvailable(ctx)))) {
    throw new DomainError('delivery_method_unavailable', 'Delivery to an address given in Telegram is only available when paying in Telegram, if the business offers it', 409)
  }
  try {
    const order = await write(ctx, async (w) => {
      const quote = await quoteCheckout(w.db, userId, input)
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
        if (!(await takeStock(w.db, line.productId, line.quantity))) throw new DomainError('out_of_stock', 'Someone was faster: an item sold out', 409, [{ slug: line.slug }])
      }
      const prepaid = input.paymentMethod === 'telegram'
      const status: OrderStatus = prepaid ? 'awaiting_payment' : 'new'
      const delivery = input.delivery
      let inserted: OrderRow | undefined
      for (let attempt = 0; !inserted && attempt < 5; attempt++) {
        ;[inserted] = await w.db
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
      await w.db.insert(orderItems).values(
        cart.lines.map((l) => ({ orderId: inserted!.id, productId: l.productId, name: l.name, options: l.options, unitPriceMinor: l.unitPriceMinor, quantity: l.quantity, totalMinor: l.totalMinor })),
      )
      await w.db.insert(orderStatusHistory).values({ orderId: inserted.id, fromStatus: null, toStatus: status, actorKind: 'customer', actorId: userId })
      if (delivery.method === 'courier' && input.saveAddress) await rememberAddress(w.db, userId, delivery.address)
      await clearCart(w.db, userId)
      await w.enqueue(orderStatusNotificationJob, { orderId: inserted.id, status }, orderStatusJobOptions(inserted.id, status))
      await emitOrderEvent(w, 'order.created', inserted, null)
      if (inserted.reservedUntil) await w.enqueue(releaseExpiredOrdersJob, { orderId: inserted.id }, { startAfter: new Date(inserted.reservedUntil.getTime() + 1000) })
      return inserted
    })
    return { order, created: true }
  } catch (error) {
    // A concurrent retry with the same key won the insert: answer with its order.
    if (isUniqueViolation(error, 'orders_idempotency_idx')) {
      const order = await findOrderByIdempotencyKey(ctx.db, userId, idempotencyKey)
      if (order) return { order, created: false }
    }
    throw error
  }
}

/** An order with its lines, timeline and pickup point; `userId` scopes it to its owner when given. */
export async function getOrder(db: DbOrTx, orderId: number, userId?: number) {
  const [order] = userId === undefined ? await orderById(db).execute({ id: orderId }) : await orderOfUser(db).execute({ id: orderId, userId })
  if (!order) throw new DomainError('not_found', 'No such order')
  const [items, history, point] = await Promise.all([
    itemsOfOrder(db).execute({ orderId }),
    historyOfOrder(db).execute({ orderId }),
    order.pickupPointId === null ? undefined : pickupPointById(db, order.pickupPointId),
  ])
  // Where a pickup order is collected, as the point reads now (name, address, opening hours).
  const pickupPoint = point ? { name: point.name, address: point.address, hours: point.hours } : null
  return { ...order, items, history, pickupPoint }
}
export type OrderDetail = Awaited<ReturnType<typeof getOrder>>

/** The order row alone (payments check an invoice against it); undefined when there is none. */
const orderById = preparedPer((db) => db.select().from(orders).where(eq(orders.id, sql.placeholder('id'))).prepare('order_by_id'))
// An order's detail is read for every chat message and receipt a payment sets off: built once.
const orderOfUser = preparedPer((db) => db.select().from(orders).where(and(eq(orders.id, sql.placeholder('id')), eq(orders.userId, sql.placeholder('userId')))).prepare('order_of_user'))
const itemsOfOrder = preparedPer((db) => db.select().from(orderItems).where(eq(orderItems.orderId, sql.placeholder('orderId'))).orderBy(asc(orderItems.id)).prepare('items_of_order'))
const historyOfOrder = preparedPer((db) =>
  db.select().from(orderStatusHistory).where(eq(orderStatusHistory.orderId, sql.placeholder('orderId'))).orderBy(asc(orderStatusHistory.createdAt), asc(orderStatusHistory.id)).prepare('history_of_order'),
)

export async function findOrder(db: DbOrTx, orderId: number): Promise<OrderRow | undefined> {
  const [order] = await orderById(db).execute({ id: orderId })
  return order
}

/** The order row locked until the transaction ends, so a payment and an operator cannot both act on it. */
export async function lockOrder(w: WriteContext, orderId: number): Promise<OrderRow | undefined> {
  const [order] = await w.db.select().from(orders).where(eq(orders.id, orderId)).for('update')
  return order
}

export async function listCustomerOrders(db: DbOrTx, userId: number, limit = 50) {
  return db.select().from(orders).where(eq(orders.userId, userId)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit)
}

async function releaseStock(w: WriteContext, order: OrderRow) {
  if (order.stockReleasedAt) return
  const items = await w.db.select({ productId: orderItems.productId, quantity: orderItems.quantity }).from(orderItems).where(eq(orderItems.orderId, order.id))
  for (const item of items) await returnStock(w.db, item.productId, item.quantity)
  await w.db.update(orders).set({ stockReleasedAt: sql`now()` }).where(eq(orders.id, order.id))
}

/**
 * Moves an order along the status machine and tells the customer in the chat (queued in the same
 * transaction). The UPDATE checks the expected current status, so two operators (or an operator
 * and the expiry job) cannot both act on the same state. Cancelling before shipping returns the
 * stock. Returns before and after.
 */
export async function transitionOrder(w: WriteContext, orderId: number, to: OrderStatus, note?: string) {
  const [before] = await w.db.select().from(orders).where(eq(orders.id, orderId))
  if (!before) throw new DomainError('not_found', 'No such order')
  const allowed = orderTransitions(before)
  if (!allowed.includes(to)) {
    throw new DomainError('invalid_transition', `An order that is ${before.status} cannot become ${to}`, 409, { from: before.status, to, allowed })
  }
  const [after] = await w.db
    .update(orders)
    .set({ status: to, ...(to === 'paid' ? { reservedUntil: null } : {}) })
    .where(and(eq(orders.id, orderId), eq(orders.status, before.status)))
    .returning()
  if (!after) throw new DomainError('conflict', 'The order changed meanwhile; reload it', 409)
  if (to === 'cancelled' && before.status !== 'shipped') await releaseStock(w, after)
  await w.db.insert(orderStatusHistory).values({ orderId, fromStatus: before.status, toStatus: to, actorKind: historyActorKind(w.actor), actorId: w.actor.userId, note: note ?? null })
  await w.enqueue(orderStatusNotificationJob, { orderId, status: to }, orderStatusJobOptions(orderId, to))
  await emitOrderEvent(w, ORDER_EVENT_BY_STATUS[to] ?? 'order.status_changed', after, before.status)
  return { before, after }
}

const ORDER_EVENT_BY_STATUS: Partial<Record<OrderStatus, IntegrationEventType>> = { paid: 'order.paid', cancelled: 'order.cancelled', refunded: 'order.refunded' }

/** The order as partners see it in an event: totals, customer contact, lines (names in Russian, the business's language). */
async function orderEventPayload(db: DbOrTx, order: OrderRow, previousStatus: OrderStatus | null): Promise<OrderEventPayload> {
  const items = await db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.id))
  return {
    orderId: order.id,
    number: order.number,
    status: order.status,
    previousStatus,
    currency: order.currency,
    totalMinor: order.totalMinor,
    itemsTotalMinor: order.itemsTotalMinor,
    deliveryMinor: order.deliveryMinor,
    deliveryMethod: order.deliveryMethod,
    paymentMethod: order.paymentMethod,
    address: order.address?.text ?? null,
    customer: { telegramId: order.userId, name: order.contactName, phone: order.contactPhone },
    items: items.map((i) => ({ productId: i.productId, name: i.name.ru, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, totalMinor: i.totalMinor })),
    createdAt: order.createdAt.toISOString(),
  }
}

/** Every order change is an integration event (CRM, billing), written in the change's transaction. */
async function emitOrderEvent(w: WriteContext, type: IntegrationEventType, order: OrderRow, previousStatus: OrderStatus | null) {
  await emitIntegrationEvent(w, { type, aggregateType: 'order', aggregateId: order.id, payload: await orderEventPayload(w.db, order, previousStatus) })
}

/** Units of each product held by orders not yet handed over (the warehouse still counts them as on hand). */
export async function reservedQuantities(db: DbOrTx, productIds: readonly number[]): Promise<Map<number, number>> {
  if (!productIds.length) return new Map()
  const rows = await db
    .select({ productId: orderItems.productId, quantity: sql<number>`sum(${orderItems.quantity})::int` })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(and(inArray(orderItems.productId, [...productIds]), inArray(orders.status, ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready'])))
    .groupBy(orderItems.productId)
  return new Map(rows.map((r) => [r.productId, r.quantity]))
}

/** The customer cancels their own order while nobody has started on it. */
export async function cancelOrderAsCustomer(ctx: ServiceContext, orderId: number) {
  const userId = customerId(ctx)
  return write(ctx, async (w) => {
    const order = await getOrder(w.db, orderId, userId)
    if (!customerMayCancel(order)) throw new DomainError('invalid_transition', 'This order is already being prepared; contact support to cancel it', 409, { from: order.status, to: 'cancelled' })
    return transitionOrder(w, orderId, 'cancelled', 'Cancelled by the customer')
  })
}

/** An operator moves the order along (with a note), within `staffTransitions`; audited with before and after. */
export async function changeOrderStatusAsStaff(ctx: ServiceContext, orderId: number, to: OrderStatus, note?: string) {
  if (to === 'paid' || to === 'refunded') {
    throw new DomainError('invalid_transition', 'Paid and refunded follow the payment: refund a payment in Payments', 409, { to })
  }
  return write(ctx, async (w) => {
    const current = await findOrder(w.db, orderId)
    if (!current) throw new DomainError('not_found', 'No such order')
    if (to === 'cancelled' && paidInTelegram(current)) {
      throw new DomainError('refund_required', 'This order was paid in Telegram: refund its payment in Payments, which also closes the order', 409, { from: current.status, to })
    }
    const { before, after } = await transitionOrder(w, orderId, to, note)
    await w.audit({ action: 'order.status', entityType: 'order', entityId: orderId, before: orderAuditView(before), after: { ...orderAuditView(after), note } })
    return after
  })
}

/** What the audit log keeps of an order's change. */
const orderAuditView = (o: OrderRow) => ({ id: o.id, number: o.number, status: o.status, totalMinor: o.totalMinor, currency: o.currency })

/** A successful payment marks its order paid (inside the payment's transaction). */
export const markOrderPaid = (w: WriteContext, orderId: number, chargeId: string) => transitionOrder(w, orderId, 'paid', `Paid in Telegram (${chargeId})`)

/** A payment refunded in full closes its order as refunded, unless it is already closed. */
export async function markOrderRefunded(w: WriteContext, orderId: number, reason: string) {
  const order = await findOrder(w.db, orderId)
  if (!order || order.status === 'refunded' || order.status === 'cancelled') return false
  await transitionOrder(w, orderId, 'refunded', reason)
  return true
}

/**
 * A `telegram_shipping` order learns where it goes with its payment: Telegram's address, the chosen
 * option and its zone, and the delivery price, which the total then includes. Call inside the
 * payment's transaction, before marking the order paid.
 */
export async function applyTelegramShipping(w: WriteContext, orderId: number, shipping: { address: TelegramShippingAddress; optionId: string; zoneId: number; priceMinor: number }) {
  const [after] = await w.db
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
export async function releaseExpiredReservations(ctx: ServiceContext, limit = 100) {
  const due = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, 'awaiting_payment'), lt(orders.reservedUntil, sql`now()`), isNull(orders.stockReleasedAt)))
    .limit(limit)
  const released: number[] = []
  for (const { id } of due) {
    try {
      await write(ctx, (w) => transitionOrder(w, id, 'cancelled', 'Not paid in time'))
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
    const like = containsPattern(query.q)
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
