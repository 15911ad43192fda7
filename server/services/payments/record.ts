/**
 * Telegram's `successful_payment`: the only proof of payment. Recorded once per charge, in the
 * same transaction that marks the order paid and queues the follow-ups.
 */
import { eq, sql } from 'drizzle-orm'
import { preparedPer } from '../../db/prepared'
import { payments, type PaymentFlag, type PaymentProvider } from '../../db/schema/payments'
import type { TelegramShippingAddress } from '../../db/schema/delivery'
import { write, type ServiceContext, type WriteContext } from '../context'
import { issueReceiptJob } from '../account/jobs'
import { applyTelegramShipping, lockOrder, markOrderPaid } from '../orders'
import { resolveShippingOption } from '../delivery/shipping'
import { parseInvoicePayload } from './invoice'
import { paymentFlaggedJob } from './jobs'
import { applyBookingPayment, bookingExists, parseBookingPayload } from '../booking/prepayment'
import { bookingRefundJob } from '../booking/jobs'

export interface SuccessfulPaymentInput {
  /** Who paid: the `from` of the message that carried the payment. */
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
  | { status: 'paid'; paymentId: number; orderId: number | null; bookingId?: number }
  | { status: 'flagged'; paymentId: number; orderId: number | null; bookingId?: number; flag: PaymentFlag }

/**
 * Records a successful payment exactly once per telegram_payment_charge_id and, in the same
 * transaction, marks the order paid (which queues the customer's confirmation). A payment that
 * cannot apply - the order already paid or cancelled, a different amount, or paid by someone
 * other than the order's customer - is kept and flagged for a refund, never dropped, and the
 * operators' alert is queued in the same transaction.
 */
export async function recordSuccessfulPayment(ctx: ServiceContext, input: SuccessfulPaymentInput): Promise<RecordedPayment> {
  // Telegram redelivers and replays a charge. One already recorded (payments are never deleted)
  // changes nothing: answered from one read, without a transaction or the order's row lock, on
  // which every replay of the same order would otherwise wait in turn.
  if (await chargeRecorded(ctx, input.telegramPaymentChargeId)) return { status: 'duplicate' }
  const bookingId = parseBookingPayload(input.invoicePayload)
  if (bookingId !== undefined) return recordBookingPayment(ctx, bookingId, input)
  return write(ctx, async (w) => {
    const orderId = parseInvoicePayload(input.invoicePayload)
    const order = orderId ? await lockOrder(w, orderId) : undefined
    const inserted = await insertPaymentOnce(w, input, { orderId: order?.id ?? null })
    if (!inserted) return { status: 'duplicate' } as const

    // A Telegram-shipping order not yet shipped-to costs its items plus the chosen option, priced again now.
    const unshipped = order?.deliveryMethod === 'telegram_shipping' && !order.shippingAddress
    const shipping = unshipped ? await resolveShippingOption(w.db, order, input.shippingOptionId, input.shippingAddress) : undefined
    const expectedTotal = order ? order.totalMinor + (shipping?.priceMinor ?? 0) : 0
    let flag: PaymentFlag | undefined
    if (!order) flag = 'order_not_payable'
    else if (order.userId !== input.userId) flag = 'wrong_user'
    else if (order.currency !== input.currency || expectedTotal !== input.totalAmount) flag = 'amount_mismatch'
    else if (unshipped && !shipping) flag = 'amount_mismatch'
    else if (order.status === 'cancelled') flag = 'order_cancelled'
    else if (order.status !== 'awaiting_payment') flag = 'order_already_paid'

    if (flag) {
      await flagPayment(w, inserted.id, flag)
      return { status: 'flagged', paymentId: inserted.id, orderId: order?.id ?? null, flag }
    }
    if (shipping) await applyTelegramShipping(w, order!.id, { address: input.shippingAddress!, optionId: shipping.id, zoneId: shipping.zone.id, priceMinor: shipping.priceMinor })
    await markOrderPaid(w, order!.id, input.telegramPaymentChargeId)
    await w.enqueue(issueReceiptJob, { orderId: order!.id }, { singletonKey: `receipt-${order!.id}` })
    return { status: 'paid', paymentId: inserted.id, orderId: order!.id }
  })
}

const paymentByCharge = preparedPer((db) => db.select({ id: payments.id }).from(payments).where(eq(payments.telegramPaymentChargeId, sql.placeholder('charge'))).limit(1).prepare('payment_by_charge'))

async function chargeRecorded(ctx: ServiceContext, telegramPaymentChargeId: string) {
  const [row] = await paymentByCharge(ctx.db).execute({ charge: telegramPaymentChargeId })
  return Boolean(row)
}

/** The charge stored once (Telegram redelivers and replays it): undefined when it was already. */
async function insertPaymentOnce(w: WriteContext, input: SuccessfulPaymentInput, target: { orderId: number | null } | { bookingId: number | null }) {
  const provider: PaymentProvider = input.currency === 'XTR' ? 'telegram_stars' : 'telegram_provider'
  const [inserted] = await w.db
    .insert(payments)
    .values({
      ...target,
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
  return inserted && { id: inserted.id, provider }
}

/** A payment that cannot apply is kept, flagged, and the operators alerted in the same transaction. */
async function flagPayment(w: WriteContext, paymentId: number, flag: PaymentFlag) {
  await w.db.update(payments).set({ flag }).where(eq(payments.id, paymentId))
  await w.enqueue(paymentFlaggedJob, { paymentId })
}

/**
 * A booking's prepayment (`booking:<id>`): recorded once per charge and, in the same transaction,
 * the hold becomes a confirmed, paid booking. A payment that cannot apply (the hold ran out or was
 * cancelled, already paid, another customer or amount) is kept and flagged, the operators alerted,
 * and - Stars - refunded automatically from a queued job; a card payment the operator refunds at
 * the provider. A redelivered update finds the charge recorded and changes nothing.
 */
async function recordBookingPayment(ctx: ServiceContext, bookingId: number, input: SuccessfulPaymentInput): Promise<RecordedPayment> {
  return write(ctx, async (w) => {
    const exists = await bookingExists(w.db, bookingId)
    const inserted = await insertPaymentOnce(w, input, { bookingId: exists ? bookingId : null })
    if (!inserted) return { status: 'duplicate' } as const
    const flag = exists ? await applyBookingPayment(w, bookingId, { paymentId: inserted.id, userId: input.userId, currency: input.currency, totalAmount: input.totalAmount }) : ('booking_not_payable' as const)
    if (!flag) return { status: 'paid', paymentId: inserted.id, orderId: null, bookingId } as const
    await flagPayment(w, inserted.id, flag)
    if (inserted.provider === 'telegram_stars') await w.enqueue(bookingRefundJob, { paymentId: inserted.id, bookingId, reason: 'The booking was no longer waiting for this payment' }, { singletonKey: `booking-refund-${inserted.id}`, singletonSeconds: 7 * 24 * 3600 })
    return { status: 'flagged', paymentId: inserted.id, orderId: null, bookingId, flag } as const
  })
}
