import { and, desc, eq, sql } from 'drizzle-orm'
import type { Database, DbOrTx, Transaction } from '../../db/client'
import { orderItems, orders, payments, refunds, users, type PaymentFlag, type PaymentProvider } from '../../db/schema'
import { DomainError } from '../../utils/errors'
import type { TelegramShippingAddress } from '../../db/schema/orders'
import { applyTelegramShipping, ordersByIds, transitionOrder } from '../orders'
import { quoteShipping, resolveShippingOption, shippingRefusalMessage, toTelegramShippingOption } from '../orders/shipping'

/** What goes into the invoice payload (1-128 bytes) and comes back in pre-checkout and success. */
export const invoicePayload = (orderId: number) => `order:${orderId}`
export function parseInvoicePayload(payload: string): number | undefined {
  const match = /^order:(\d{1,10})$/.exec(payload)
  return match ? Number(match[1]) : undefined
}

type Lang = 'ru' | 'en'

/**
 * The invoice for an order awaiting payment: amounts from the order (never the client), one price
 * line per item plus delivery; Stars (XTR) invoices carry exactly one line and no provider token.
 */
export async function buildInvoice(db: DbOrTx, orderId: number, userId: number, options: { providerToken: string; lang: Lang }) {
  const [order] = await db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
  if (!order) throw new DomainError('not_found', 'No such order')
  if (order.status !== 'awaiting_payment') throw new DomainError('order_not_payable', 'This order is not waiting for payment', 409, { status: order.status })
  if (!order.reservedUntil || order.reservedUntil.getTime() <= Date.now()) throw new DomainError('order_expired', 'The time to pay this order has run out; place it again', 409)
  const items = await db.select().from(orderItems).where(eq(orderItems.orderId, orderId))
  const stars = order.currency === 'XTR'
  const title = (options.lang === 'ru' ? `Заказ ${order.number}` : `Order ${order.number}`).slice(0, 32)
  const description = items
    .map((i) => `${i.name[options.lang]} × ${i.quantity}`)
    .join(', ')
    .slice(0, 255)
  const prices = stars
    ? [{ label: title, amount: order.totalMinor }]
    : [
        ...items.map((i) => ({ label: `${i.name[options.lang]} × ${i.quantity}`.slice(0, 64), amount: i.totalMinor })),
        ...(order.deliveryMinor > 0 ? [{ label: options.lang === 'ru' ? 'Доставка' : 'Delivery', amount: order.deliveryMinor }] : []),
        ...(order.discountMinor > 0 ? [{ label: options.lang === 'ru' ? 'Скидка' : 'Discount', amount: -order.discountMinor }] : []),
      ]
  return {
    order,
    invoice: {
      title,
      description: description || title,
      payload: invoicePayload(order.id),
      provider_token: stars ? '' : options.providerToken,
      currency: order.currency,
      prices,
      // Telegram asks for the address and sends shipping_query; the contact was given in the app.
      ...(order.deliveryMethod === 'telegram_shipping' && { need_shipping_address: true, is_flexible: true }),
    },
  }
}

export type PreCheckoutRefusal = 'unknown_order' | 'wrong_user' | 'not_payable' | 'expired' | 'currency_mismatch' | 'amount_mismatch' | 'shipping_invalid'
type OrderRow = typeof orders.$inferSelect

/** The order an invoice payload names, if this customer may pay it now (shared by shipping and pre-checkout queries). */
async function payableOrder(db: DbOrTx, query: { fromId: number; invoicePayload: string }): Promise<{ ok: true; order: OrderRow } | { ok: false; reason: 'unknown_order' | 'wrong_user' | 'not_payable' | 'expired' }> {
  const orderId = parseInvoicePayload(query.invoicePayload)
  if (orderId === undefined) return { ok: false, reason: 'unknown_order' }
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) return { ok: false, reason: 'unknown_order' }
  if (order.userId !== query.fromId) return { ok: false, reason: 'wrong_user' }
  if (order.status !== 'awaiting_payment' || order.stockReleasedAt) return { ok: false, reason: 'not_payable' }
  // A little margin: the payment must complete while the stock is still held.
  if (!order.reservedUntil || order.reservedUntil.getTime() - 15_000 <= Date.now()) return { ok: false, reason: 'expired' }
  return { ok: true, order }
}

/**
 * Telegram asks "where can this go, at what price?" (`shipping_query`, invoices with `is_flexible`):
 * options from the stored zones for the typed address, or a refusal to show in the payment form.
 */
export async function checkShippingQuery(db: DbOrTx, query: { fromId: number; invoicePayload: string; address: TelegramShippingAddress }) {
  const payable = await payableOrder(db, query)
  if (!payable.ok) return { ok: false as const, message: (lang: Lang) => PRE_CHECKOUT_MESSAGES[payable.reason][lang] }
  const { order } = payable
  if (order.deliveryMethod !== 'telegram_shipping') return { ok: false as const, message: (lang: Lang) => PRE_CHECKOUT_MESSAGES.shipping_invalid[lang] }
  const quote = await quoteShipping(db, order, query.address)
  if (!quote.ok) return { ok: false as const, reason: quote.reason, message: (lang: Lang) => shippingRefusalMessage(quote, order.currency, lang) }
  return { ok: true as const, orderId: order.id, options: (lang: Lang) => quote.options.map((o) => toTelegramShippingOption(o, lang)) }
}

/**
 * Telegram asks "may this be paid?": the answer comes from the order as stored, within Telegram's
 * 10 s. For a Telegram-shipping order the total must be the order plus the chosen option, priced
 * again here from the zones for the address in `order_info`.
 */
export async function checkPreCheckout(
  db: DbOrTx,
  query: { fromId: number; currency: string; totalAmount: number; invoicePayload: string; shippingOptionId?: string; shippingAddress?: TelegramShippingAddress },
): Promise<{ ok: true; orderId: number } | { ok: false; reason: PreCheckoutRefusal }> {
  const payable = await payableOrder(db, query)
  if (!payable.ok) return payable
  const { order } = payable
  if (order.currency !== query.currency) return { ok: false, reason: 'currency_mismatch' }
  let expected = order.totalMinor
  if (order.deliveryMethod === 'telegram_shipping') {
    const option = await resolveShippingOption(db, order, query.shippingOptionId, query.shippingAddress)
    if (!option) return { ok: false, reason: 'shipping_invalid' }
    expected += option.priceMinor
  }
  if (expected !== query.totalAmount) return { ok: false, reason: 'amount_mismatch' }
  return { ok: true, orderId: order.id }
}

export const PRE_CHECKOUT_MESSAGES: Record<PreCheckoutRefusal, Record<Lang, string>> = {
  unknown_order: { ru: 'Заказ не найден. Оформите его заново в приложении.', en: 'We could not find this order. Please place it again in the app.' },
  wrong_user: { ru: 'Этот счёт выставлен другому покупателю.', en: 'This invoice belongs to another customer.' },
  not_payable: { ru: 'Заказ уже оплачен или отменён — деньги не списаны.', en: 'This order is already paid or cancelled; you have not been charged.' },
  expired: { ru: 'Время на оплату истекло, товары вернулись на склад. Оформите заказ заново.', en: 'The time to pay has run out and the items were released. Please order again.' },
  currency_mismatch: { ru: 'Валюта счёта не совпадает с заказом. Откройте оплату из приложения заново.', en: 'The invoice currency does not match the order. Open the payment from the app again.' },
  amount_mismatch: { ru: 'Сумма изменилась. Откройте оплату из приложения заново.', en: 'The amount has changed. Open the payment from the app again.' },
  shipping_invalid: { ru: 'Этот способ доставки недоступен для указанного адреса. Выберите адрес и доставку заново.', en: 'This delivery option is not available for the address given. Choose the address and delivery again.' },
}

export interface SuccessfulPaymentInput {
  userId: number
  currency: string
  totalAmount: number
  invoicePayload: string
  telegramPaymentChargeId: string
  providerPaymentChargeId?: string
  /** Telegram-shipping invoices: the option chosen and the address typed in the payment form. */
  shippingOptionId?: string
  shippingAddress?: TelegramShippingAddress
  raw: Record<string, unknown>
}

export type RecordedPayment =
  | { status: 'duplicate' }
  | { status: 'paid'; paymentId: number; orderId: number }
  | { status: 'flagged'; paymentId: number; orderId: number | null; flag: PaymentFlag }

/**
 * Records a successful payment exactly once per telegram_payment_charge_id and, in the same
 * transaction, marks the order paid. A payment that cannot apply (order already paid, cancelled,
 * or a different amount) is kept and flagged for a refund, never dropped. `afterCommit` runs inside
 * the transaction so the caller can enqueue its follow-up jobs atomically (outbox).
 */
export async function recordSuccessfulPayment(db: Database, input: SuccessfulPaymentInput, afterCommit: (tx: Transaction, result: Exclude<RecordedPayment, { status: 'duplicate' }>) => Promise<void>): Promise<RecordedPayment> {
  return db.transaction(async (tx) => {
    const orderId = parseInvoicePayload(input.invoicePayload) ?? null
    const [order] = orderId ? await tx.select().from(orders).where(eq(orders.id, orderId)).for('update') : []
    const provider: PaymentProvider = input.currency === 'XTR' ? 'telegram_stars' : 'telegram_provider'
    const [inserted] = await tx
      .insert(payments)
      .values({
        orderId: order?.id ?? null,
        userId: input.userId,
        provider,
        currency: input.currency,
        amountMinor: input.totalAmount,
        telegramPaymentChargeId: input.telegramPaymentChargeId,
        providerPaymentChargeId: input.providerPaymentChargeId ?? null,
        invoicePayload: input.invoicePayload,
        raw: input.raw,
      })
      .onConflictDoNothing({ target: payments.telegramPaymentChargeId })
      .returning({ id: payments.id })
    if (!inserted) return { status: 'duplicate' } as const

    // A Telegram-shipping order not yet shipped-to costs its items plus the chosen option, priced again now.
    const unshipped = order?.deliveryMethod === 'telegram_shipping' && !order.shippingAddress
    const shipping = unshipped ? await resolveShippingOption(tx, order, input.shippingOptionId, input.shippingAddress) : undefined
    const expectedTotal = order ? order.totalMinor + (shipping?.priceMinor ?? 0) : 0
    let flag: PaymentFlag | undefined
    if (!order) flag = 'order_not_payable'
    else if (order.currency !== input.currency || expectedTotal !== input.totalAmount) flag = 'amount_mismatch'
    else if (unshipped && !shipping) flag = 'amount_mismatch'
    else if (order.status === 'cancelled') flag = 'order_cancelled'
    else if (order.status !== 'awaiting_payment') flag = 'order_already_paid'

    let result: Exclude<RecordedPayment, { status: 'duplicate' }>
    if (flag) {
      await tx.update(payments).set({ flag }).where(eq(payments.id, inserted.id))
      result = { status: 'flagged', paymentId: inserted.id, orderId: order?.id ?? null, flag }
    } else {
      if (shipping) await applyTelegramShipping(tx, order!.id, { address: input.shippingAddress!, optionId: shipping.id, zoneId: shipping.zone.id, priceMinor: shipping.priceMinor })
      await transitionOrder(tx, order!.id, 'paid', { kind: 'system' }, `Paid in Telegram (${input.telegramPaymentChargeId})`)
      result = { status: 'paid', paymentId: inserted.id, orderId: order!.id }
    }
    await afterCommit(tx, result)
    return result
  })
}

export type RefundRequest = { amountMinor?: number; reason: string; providerReference?: string; actorId: number; idempotencyKey: string }

/**
 * Step one of a refund: validates it and stores it as pending (idempotent per key). Stars must be
 * refunded whole (Telegram refunds a Star payment only in full); provider refunds are made at the
 * provider and recorded here with its reference, so they complete at once.
 */
export async function startRefund(db: Database, paymentId: number, request: RefundRequest) {
  return db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update')
    if (!payment) throw new DomainError('not_found', 'No such payment')
    const [existing] = await tx.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, request.idempotencyKey)))
    if (existing) return { payment, refund: existing, repeated: true }
    const remaining = payment.amountMinor - payment.refundedMinor
    const [pendingRow] = await tx.select({ n: sql<number>`count(*)::int` }).from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'pending')))
    if (pendingRow!.n > 0) throw new DomainError('conflict', 'A refund of this payment is already in progress', 409)
    const amount = request.amountMinor ?? remaining
    if (remaining <= 0) throw new DomainError('already_refunded', 'This payment is already refunded in full', 409)
    if (amount > remaining) throw new DomainError('validation_failed', `At most ${remaining} can be refunded`, 400, [{ path: 'amountMinor', message: `at most ${remaining}` }])
    if (payment.provider === 'telegram_stars' && amount !== payment.amountMinor) throw new DomainError('partial_refund_unavailable', 'Telegram Stars payments can only be refunded in full', 409)
    if (payment.provider === 'telegram_provider' && !request.providerReference) {
      throw new DomainError('validation_failed', 'Refund card payments at the provider first, then record its refund reference here', 400, [{ path: 'providerReference', message: 'required for provider payments' }])
    }
    const [refund] = await tx
      .insert(refunds)
      .values({ paymentId, amountMinor: amount, reason: request.reason, status: 'pending', providerReference: request.providerReference ?? null, actorId: request.actorId, idempotencyKey: request.idempotencyKey })
      .returning()
    return { payment, refund: refund!, repeated: false }
  })
}

/** Step two: the refund happened (Telegram or provider confirmed): money, payment and order follow. */
export async function completeRefund(tx: Transaction, refundId: number) {
  const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for('update')
  if (!refund) throw new DomainError('not_found', 'No such refund')
  if (refund.status === 'succeeded') return { refund, orderRefunded: false }
  await tx.update(refunds).set({ status: 'succeeded', completedAt: sql`now()`, error: null }).where(eq(refunds.id, refundId))
  const [payment] = await tx
    .update(payments)
    .set({
      refundedMinor: sql`${payments.refundedMinor} + ${refund.amountMinor}`,
      status: sql`case when ${payments.refundedMinor} + ${refund.amountMinor} >= ${payments.amountMinor} then 'refunded' else 'partially_refunded' end`,
    })
    .where(eq(payments.id, refund.paymentId))
    .returning()
  let orderRefunded = false
  // A flagged payment never paid for its order: refunding it leaves the order as it is.
  if (payment!.status === 'refunded' && payment!.orderId && !payment!.flag) {
    const [order] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, payment!.orderId))
    if (order && order.status !== 'refunded' && order.status !== 'cancelled') {
      await transitionOrder(tx, payment!.orderId, 'refunded', { kind: refund.actorId ? 'staff' : 'system', id: refund.actorId ?? undefined }, refund.reason)
      orderRefunded = true
    }
  }
  return { refund: { ...refund, status: 'succeeded' as const }, payment: payment!, orderRefunded }
}

export async function failRefund(db: DbOrTx, refundId: number, error: string) {
  await db.update(refunds).set({ status: 'failed', error: error.slice(0, 500) }).where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')))
}

/**
 * Telegram's `refunded_payment`: completes our pending refund for that charge, or records a refund
 * made outside the app (e.g. by the bot owner through @BotFather) so our books match.
 */
export async function recordRefundedPayment(db: Database, input: { telegramPaymentChargeId: string; totalAmount: number }) {
  return db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(eq(payments.telegramPaymentChargeId, input.telegramPaymentChargeId)).for('update')
    if (!payment) return { status: 'unknown_payment' as const }
    const [pending] = await tx.select().from(refunds).where(and(eq(refunds.paymentId, payment.id), eq(refunds.status, 'pending'))).orderBy(desc(refunds.id)).limit(1)
    if (pending) return { status: 'completed' as const, ...(await completeRefund(tx, pending.id)) }
    if (payment.refundedMinor >= payment.amountMinor) return { status: 'already_recorded' as const }
    const [refund] = await tx
      .insert(refunds)
      .values({ paymentId: payment.id, amountMinor: Math.min(input.totalAmount, payment.amountMinor - payment.refundedMinor), reason: 'Refunded in Telegram', status: 'pending', idempotencyKey: `telegram:${input.telegramPaymentChargeId}` })
      .onConflictDoNothing()
      .returning()
    if (!refund) return { status: 'already_recorded' as const }
    return { status: 'recorded' as const, ...(await completeRefund(tx, refund.id)) }
  })
}

/** A payment with its refunds and the order it paid for (number, status and the customer's contact, for operators). */
export async function getPayment(db: DbOrTx, paymentId: number) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId))
  if (!payment) throw new DomainError('not_found', 'No such payment')
  // Who refunded, by name (a refund Telegram reported itself has no actor).
  const refundRows = (
    await db
      .select({ refund: refunds, firstName: users.firstName, lastName: users.lastName })
      .from(refunds)
      .leftJoin(users, eq(users.telegramId, refunds.actorId))
      .where(eq(refunds.paymentId, paymentId))
      .orderBy(refunds.id)
  ).map(({ refund, firstName, lastName }) => ({ ...refund, actorName: firstName ? [firstName, lastName].filter(Boolean).join(' ') : null }))
  const [order] = payment.orderId ? await ordersByIds(db, [payment.orderId]) : []
  return {
    ...payment,
    orderNumber: order?.number ?? null,
    order: order ? { id: order.id, number: order.number, status: order.status, contactName: order.contactName, contactPhone: order.contactPhone } : null,
    refunds: refundRows,
  }
}

export async function paymentsForOrder(db: DbOrTx, orderId: number) {
  return db.select().from(payments).where(eq(payments.orderId, orderId)).orderBy(payments.id)
}
