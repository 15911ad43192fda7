/**
 * Refunds: Stars through Telegram's `refundStarPayment`, card payments recorded with the provider's
 * reference (the operator refunds at the provider). A refund is stored as pending before Telegram
 * is called, completed in one transaction with the payment, the order and the audit entry, and
 * the customer is told in the chat. One Idempotency-Key is one refund, however often it is retried.
 */
import { and, desc, eq, sql } from 'drizzle-orm'
import { TelegramError } from 'telegraf'
import type { DbOrTx } from '../../db/client'
import { payments, refunds } from '../../db/schema/payments'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext, type WriteContext } from '../context'
import { markOrderRefunded } from '../orders'
import { refundNotificationJob } from '../notifications/jobs'
import { paymentFlaggedJob } from './jobs'
import { getPayment } from './index'

export type RefundRequest = { amountMinor?: number; reason: string; providerReference?: string; idempotencyKey: string }

/**
 * Step one of a refund: validates it and stores it as pending (idempotent per key). Stars must be
 * refunded whole (Telegram refunds a Star payment only in full); provider refunds are made at the
 * provider and recorded here with its reference, so they complete at once.
 */
export async function startRefund(ctx: ServiceContext, paymentId: number, request: RefundRequest) {
  return write(ctx, async (w) => {
    const [payment] = await w.db.select().from(payments).where(eq(payments.id, paymentId)).for('update')
    if (!payment) throw new DomainError('not_found', 'No such payment')
    const [existing] = await w.db.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.idempotencyKey, request.idempotencyKey)))
    if (existing) return { payment, refund: existing, repeated: true }
    const remaining = payment.amountMinor - payment.refundedMinor
    const [pendingRow] = await w.db.select({ n: sql<number>`count(*)::int` }).from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'pending')))
    if (pendingRow!.n > 0) throw new DomainError('conflict', 'A refund of this payment is already in progress', 409)
    const amount = request.amountMinor ?? remaining
    if (remaining <= 0) throw new DomainError('already_refunded', 'This payment is already refunded in full', 409)
    if (amount > remaining) throw new DomainError('validation_failed', `At most ${remaining} can be refunded`, 400, [{ path: 'amountMinor', message: `at most ${remaining}` }])
    if (payment.provider === 'telegram_stars' && amount !== payment.amountMinor) throw new DomainError('partial_refund_unavailable', 'Telegram Stars payments can only be refunded in full', 409)
    if (payment.provider === 'telegram_provider' && !request.providerReference) {
      throw new DomainError('validation_failed', 'Refund card payments at the provider first, then record its refund reference here', 400, [{ path: 'providerReference', message: 'required for provider payments' }])
    }
    const [refund] = await w.db
      .insert(refunds)
      .values({ paymentId, amountMinor: amount, reason: request.reason, status: 'pending', providerReference: request.providerReference ?? null, actorId: w.actor.userId, idempotencyKey: request.idempotencyKey })
      .returning()
    return { payment, refund: refund!, repeated: false }
  })
}

/**
 * Step two: the refund happened (Telegram or the provider confirmed): the payment, and for a whole
 * refund the order, follow; the customer is told in the chat (by the order's "refunded" message
 * when the order closes, else by a refund message).
 */
export async function completeRefund(w: WriteContext, refundId: number) {
  const [refund] = await w.db.select().from(refunds).where(eq(refunds.id, refundId)).for('update')
  if (!refund) throw new DomainError('not_found', 'No such refund')
  if (refund.status === 'succeeded') return { refund, orderRefunded: false }
  await w.db.update(refunds).set({ status: 'succeeded', completedAt: sql`now()`, error: null }).where(eq(refunds.id, refundId))
  const [payment] = await w.db
    .update(payments)
    .set({
      refundedMinor: sql`${payments.refundedMinor} + ${refund.amountMinor}`,
      status: sql`case when ${payments.refundedMinor} + ${refund.amountMinor} >= ${payments.amountMinor} then 'refunded' else 'partially_refunded' end`,
    })
    .where(eq(payments.id, refund.paymentId))
    .returning()
  // A flagged payment never paid for its order: refunding it leaves the order as it is.
  const orderRefunded = payment!.status === 'refunded' && payment!.orderId !== null && !payment!.flag && (await markOrderRefunded(w, payment!.orderId, refund.reason))
  if (!orderRefunded) await w.enqueue(refundNotificationJob, { refundId })
  return { refund: { ...refund, status: 'succeeded' as const }, payment: payment!, orderRefunded }
}

export async function failRefund(db: DbOrTx, refundId: number, error: string) {
  await db.update(refunds).set({ status: 'failed', error: error.slice(0, 500) }).where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')))
}

/**
 * Refunds a payment from /admin. Stars: `refundStarPayment`, then payment and order follow in one
 * transaction with the audit row. Card payments: the operator refunded at the provider; we record
 * it with the provider's reference. A repeated request (same Idempotency-Key) changes nothing.
 */
export async function refundPayment(ctx: ServiceContext, paymentId: number, request: RefundRequest) {
  const { payment, refund, repeated } = await startRefund(ctx, paymentId, request)
  if (repeated || refund.status !== 'pending') return { refund, repeated: true, payment: await getPayment(ctx.db, paymentId) }
  if (payment.provider === 'telegram_stars') {
    try {
      await ctx.bot.telegram.callApi('refundStarPayment' as never, { user_id: payment.userId, telegram_payment_charge_id: payment.telegramPaymentChargeId } as never)
    } catch (error) {
      const alreadyDone = error instanceof TelegramError && /CHARGE_ALREADY_REFUNDED/.test(error.description)
      if (!alreadyDone) {
        const message = error instanceof TelegramError ? error.description : (error as Error).message
        await failRefund(ctx.db, refund.id, message)
        throw new DomainError('refund_failed', `Telegram refused the refund: ${message}`, 502)
      }
    }
  }
  await write(ctx, async (w) => {
    const done = await completeRefund(w, refund.id)
    await w.audit({
      action: 'payment.refund',
      entityType: 'payment',
      entityId: paymentId,
      before: { status: payment.status, refundedMinor: payment.refundedMinor },
      after: { status: done.payment?.status, refundedMinor: done.payment?.refundedMinor, amountMinor: refund.amountMinor, currency: payment.currency, reason: refund.reason, providerReference: refund.providerReference, orderRefunded: done.orderRefunded },
    })
  })
  return { refund: { ...refund, status: 'succeeded' as const }, repeated: false, payment: await getPayment(ctx.db, paymentId) }
}

/**
 * Telegram's `refunded_payment`: completes our pending refund for that charge, or records a refund
 * made outside the app (e.g. by the bot owner through @BotFather) so our books match.
 */
export async function recordRefundedPayment(ctx: ServiceContext, input: { telegramPaymentChargeId: string; totalAmount: number }) {
  return write(ctx, async (w) => {
    const [payment] = await w.db.select().from(payments).where(eq(payments.telegramPaymentChargeId, input.telegramPaymentChargeId)).for('update')
    if (!payment) return { status: 'unknown_payment' as const }
    const [pending] = await w.db.select().from(refunds).where(and(eq(refunds.paymentId, payment.id), eq(refunds.status, 'pending'))).orderBy(desc(refunds.id)).limit(1)
    if (pending) return { status: 'completed' as const, ...(await completeRefund(w, pending.id)) }
    if (payment.refundedMinor >= payment.amountMinor) return { status: 'already_recorded' as const }
    const [refund] = await w.db
      .insert(refunds)
      .values({ paymentId: payment.id, amountMinor: Math.min(input.totalAmount, payment.amountMinor - payment.refundedMinor), reason: 'Refunded in Telegram', status: 'pending', idempotencyKey: `telegram:${input.telegramPaymentChargeId}` })
      .onConflictDoNothing()
      .returning()
    if (!refund) return { status: 'already_recorded' as const }
    return { status: 'recorded' as const, ...(await completeRefund(w, refund.id)) }
  })
}

/**
 * A refund nobody has to click (a booking's prepayment after a cancellation within the policy or
 * by staff, or a Stars payment that arrived for a hold no longer there), run from a queued job:
 * Stars through `refundStarPayment`, stored as pending first and completed with the payment and
 * an audit entry (by the system); a pending one from an earlier attempt is finished, not doubled
 * (Telegram answers CHARGE_ALREADY_REFUNDED if it went through). A card payment cannot be refunded
 * through Telegram: it is flagged `booking_refund_due` and the operators are told to refund it at
 * the provider. Throws while Telegram fails, so the job retries.
 */
export async function refundAutomatically(ctx: ServiceContext, paymentId: number, reason: string) {
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, paymentId))
  if (!payment) return { status: 'unknown_payment' as const }
  if (payment.refundedMinor >= payment.amountMinor) return { status: 'already_refunded' as const }
  if (payment.provider !== 'telegram_stars') {
    await write(ctx, async (w) => {
      const [flagged] = await w.db.update(payments).set({ flag: 'booking_refund_due' }).where(and(eq(payments.id, paymentId), sql`${payments.flag} is null`)).returning({ id: payments.id })
      if (flagged) {
        await w.enqueue(paymentFlaggedJob, { paymentId })
        await w.audit({ action: 'payment.refund_due', entityType: 'payment', entityId: paymentId, after: { reason, amountMinor: payment.amountMinor - payment.refundedMinor, currency: payment.currency } })
      }
    })
    return { status: 'operator' as const }
  }
  const [pending] = await ctx.db.select().from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'pending'))).orderBy(desc(refunds.id)).limit(1)
  const [{ attempts } = { attempts: 0 }] = await ctx.db.select({ attempts: sql<number>`count(*)::int` }).from(refunds).where(eq(refunds.paymentId, paymentId))
  const refund = pending ?? (await startRefund(ctx, paymentId, { reason, idempotencyKey: `auto-${paymentId}-${attempts + 1}` })).refund
  try {
    await ctx.bot.telegram.callApi('refundStarPayment' as never, { user_id: payment.userId, telegram_payment_charge_id: payment.telegramPaymentChargeId } as never)
  } catch (error) {
    const alreadyDone = error instanceof TelegramError && /CHARGE_ALREADY_REFUNDED/.test(error.description)
    if (!alreadyDone) {
      const message = error instanceof TelegramError ? error.description : (error as Error).message
      await failRefund(ctx.db, refund.id, message)
      throw new DomainError('refund_failed', `Telegram refused the refund: ${message}`, 502)
    }
  }
  const done = await write(ctx, async (w) => {
    const result = await completeRefund(w, refund.id)
    await w.audit({
      action: 'payment.refund',
      entityType: 'payment',
      entityId: paymentId,
      before: { status: payment.status, refundedMinor: payment.refundedMinor },
      after: { status: result.payment?.status, refundedMinor: result.payment?.refundedMinor, amountMinor: refund.amountMinor, currency: payment.currency, reason: refund.reason, automatic: true },
    })
    return result
  })
  return { status: 'refunded' as const, refundId: refund.id, payment: done.payment }
}
