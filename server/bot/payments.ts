import type { Bot } from './index'
import type { Database } from '../db/client'
import type { JobQueue } from '../jobs/queue'
import type { JobDeps } from '../jobs/deps'
import type { Logger } from '../utils/logger'
import type { TelegramShippingAddress } from '../db/schema/orders'
import { checkPreCheckout, checkShippingQuery, PRE_CHECKOUT_MESSAGES, recordRefundedPayment, recordSuccessfulPayment } from '../services/payments'
import { orderStatusNotificationJob, paymentFlaggedJob } from '../jobs'

interface PaymentDeps {
  db: Database
  queue: JobQueue<JobDeps>
  logger: Logger
}

const langOf = (code?: string) => (code?.toLowerCase().startsWith('ru') ? 'ru' : 'en') as 'ru' | 'en'

/**
 * Telegram Payments in the bot: shipping queries answered with options priced from our zones,
 * pre-checkout answered from the stored order (well inside 10 s),
 * success recorded once per charge with the order marked paid in the same transaction, and the
 * follow-ups (chat confirmation, operator alerts) enqueued in that transaction too.
 */
export function registerPaymentHandlers(bot: Bot, deps: PaymentDeps) {
  // Invoices with is_flexible: the options for the typed address come from our zones, or a refusal in words.
  bot.on('shipping_query', async (ctx) => {
    const q = ctx.shippingQuery
    const lang = langOf(q.from.language_code)
    const verdict = await checkShippingQuery(deps.db, { fromId: q.from.id, invoicePayload: q.invoice_payload, address: q.shipping_address })
    if (verdict.ok) {
      await ctx.answerShippingQuery(true, verdict.options(lang), undefined)
      return
    }
    deps.logger.info('shipping refused', { payload: q.invoice_payload, userId: q.from.id, country: q.shipping_address.country_code, city: q.shipping_address.city })
    await ctx.answerShippingQuery(false, undefined, verdict.message(lang))
  })

  bot.on('pre_checkout_query', async (ctx) => {
    const q = ctx.preCheckoutQuery
    const verdict = await checkPreCheckout(deps.db, {
      fromId: q.from.id,
      currency: q.currency,
      totalAmount: q.total_amount,
      invoicePayload: q.invoice_payload,
      shippingOptionId: q.shipping_option_id,
      shippingAddress: q.order_info?.shipping_address,
    })
    if (verdict.ok) {
      await ctx.answerPreCheckoutQuery(true)
      return
    }
    deps.logger.info('pre-checkout refused', { reason: verdict.reason, payload: q.invoice_payload, userId: q.from.id })
    await ctx.answerPreCheckoutQuery(false, PRE_CHECKOUT_MESSAGES[verdict.reason][langOf(q.from.language_code)])
  })

  bot.on('message', async (ctx, next) => {
    const message = ctx.message as unknown as Record<string, unknown> & { from: { id: number } }
    const paid = message.successful_payment as
      | {
          currency: string
          total_amount: number
          invoice_payload: string
          telegram_payment_charge_id: string
          provider_payment_charge_id?: string
          shipping_option_id?: string
          order_info?: { shipping_address?: TelegramShippingAddress }
        }
      | undefined
    const refunded = message.refunded_payment as { total_amount: number; telegram_payment_charge_id: string } | undefined
    if (paid) {
      const result = await recordSuccessfulPayment(
        deps.db,
        {
          userId: message.from.id,
          currency: paid.currency,
          totalAmount: paid.total_amount,
          invoicePayload: paid.invoice_payload,
          telegramPaymentChargeId: paid.telegram_payment_charge_id,
          providerPaymentChargeId: paid.provider_payment_charge_id,
          shippingOptionId: paid.shipping_option_id,
          shippingAddress: paid.order_info?.shipping_address,
          raw: paid as unknown as Record<string, unknown>,
        },
        async (tx, recorded) => {
          if (recorded.status === 'paid') {
            await deps.queue.enqueueIn(tx, orderStatusNotificationJob, { orderId: recorded.orderId, status: 'paid' }, { singletonKey: `order-${recorded.orderId}-paid` })
          } else {
            await deps.queue.enqueueIn(tx, paymentFlaggedJob, { paymentId: recorded.paymentId })
          }
        },
      )
      if (result.status === 'flagged') deps.logger.warn('payment flagged for an operator', { ...result })
      return
    }
    if (refunded) {
      const result = await recordRefundedPayment(deps.db, { telegramPaymentChargeId: refunded.telegram_payment_charge_id, totalAmount: refunded.total_amount })
      deps.logger.info('refunded_payment received', { chargeId: refunded.telegram_payment_charge_id, status: result.status })
      return
    }
    return next()
  })
}
