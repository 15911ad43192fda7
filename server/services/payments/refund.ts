import { TelegramError } from 'telegraf'
import type { Bot } from '../../bot'
import type { Database } from '../../db/client'
import { DomainError } from '../../utils/errors'
import { recordAudit, type AuditContext } from '../audit'
import { completeRefund, failRefund, getPayment, startRefund, type RefundRequest } from './index'

/**
 * Refunds a payment from /admin. Stars: `refundStarPayment`, then payment and order follow in one
 * transaction with the audit row. Card payments: the operator refunded at the provider; we record
 * it with the provider's reference. A repeated request (same Idempotency-Key) changes nothing.
 */
export async function refundPayment(deps: { db: Database; bot: Pick<Bot, 'telegram'> }, paymentId: number, request: RefundRequest, audit: AuditContext) {
  const { payment, refund, repeated } = await startRefund(deps.db, paymentId, request)
  if (repeated || refund.status !== 'pending') return { refund, repeated: true, payment: await getPayment(deps.db, paymentId) }
  if (payment.provider === 'telegram_stars') {
    try {
      await deps.bot.telegram.callApi('refundStarPayment' as never, { user_id: payment.userId, telegram_payment_charge_id: payment.telegramPaymentChargeId } as never)
    } catch (error) {
      const alreadyDone = error instanceof TelegramError && /CHARGE_ALREADY_REFUNDED/.test(error.description)
      if (!alreadyDone) {
        const message = error instanceof TelegramError ? error.description : (error as Error).message
        await failRefund(deps.db, refund.id, message)
        throw new DomainError('refund_failed', `Telegram refused the refund: ${message}`, 502)
      }
    }
  }
  await deps.db.transaction(async (tx) => {
    const done = await completeRefund(tx, refund.id)
    await recordAudit(tx, {
      ...audit,
      action: 'payment.refund',
      entityType: 'payment',
      entityId: paymentId,
      before: { status: payment.status, refundedMinor: payment.refundedMinor },
      after: { status: done.payment?.status, refundedMinor: done.payment?.refundedMinor, amountMinor: refund.amountMinor, currency: payment.currency, reason: refund.reason, providerReference: refund.providerReference, orderRefunded: done.orderRefunded },
    })
  })
  return { refund: { ...refund, status: 'succeeded' as const }, repeated: false, payment: await getPayment(deps.db, paymentId) }
}
