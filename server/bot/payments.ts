import type { Context } from 'telegraf'
import { localeOf } from '#shared/locale'
import type { AppServices } from '../composition-root'
import type { TelegramShippingAddress } from '../db/schema/delivery'
import { contextFor, systemContext } from '../services/context'
import { answerPreCheckout, checkShippingQuery, PreCheckoutQuerySchema } from '../services/payments/checkout'
import { recordSuccessfulPayment } from '../services/payments/record'
import { recordRefundedPayment } from '../services/payments/refunds'

/** Telegram's successful_payment as it arrives in a message (Telegraf's types lack the newer fields). */
interface SuccessfulPayment {
  currency: string
  total_amount: number
  invoice_payload: string
  telegram_payment_charge_id: string
  provider_payment_charge_id?: string
  shipping_option_id?: string
  order_info?: { shipping_address?: TelegramShippingAddress }
}

const updateMeta = (ctx: Context) => ({ requestId: `update-${ctx.update.update_id}`, ip: null })

/** Invoices with is_flexible: the options for the typed address come from our zones, or a refusal in words. */
export async function onShippingQuery(ctx: Context, services: AppServices) {
  const q = ctx.shippingQuery!
  const lang = localeOf(q.from.language_code)
  const verdict = await checkShippingQuery(services.db, { fromId: q.from.id, invoicePayload: q.invoice_payload, address: q.shipping_address })
  if (verdict.ok) return void (await ctx.answerShippingQuery(true, verdict.options(lang), undefined))
  services.logger.info('shipping refused', { payload: q.invoice_payload, userId: q.from.id, country: q.shipping_address.country_code, city: q.shipping_address.city })
  await ctx.answerShippingQuery(false, undefined, verdict.message(lang))
}

/** "May this be paid?": answered from the stored order, well inside Telegram's 10 s (the webhook answers it in its response; this is the polling path and the retry). */
export async function onPreCheckoutQuery(ctx: Context, services: AppServices) {
  const answer = await answerPreCheckout(services.db, services.logger, PreCheckoutQuerySchema.parse(ctx.preCheckoutQuery))
  await ctx.answerPreCheckoutQuery(answer.ok, answer.error_message)
}

/** The proof of payment: recorded once per charge; the service marks the order paid and queues the follow-ups. */
export async function onSuccessfulPayment(ctx: Context, services: AppServices) {
  const message = ctx.message as unknown as { from: { id: number }; successful_payment: SuccessfulPayment }
  const paid = message.successful_payment
  const customer = contextFor(services, { kind: 'customer', userId: message.from.id, via: 'bot' }, updateMeta(ctx))
  const result = await recordSuccessfulPayment(customer, {
    userId: message.from.id,
    currency: paid.currency,
    totalAmount: paid.total_amount,
    invoicePayload: paid.invoice_payload,
    telegramPaymentChargeId: paid.telegram_payment_charge_id,
    providerPaymentChargeId: paid.provider_payment_charge_id,
    shippingOptionId: paid.shipping_option_id,
    shippingAddress: paid.order_info?.shipping_address,
    raw: paid as unknown as Record<string, unknown>,
  })
  if (result.status === 'flagged') services.logger.warn('payment flagged for an operator', { ...result })
}

/** Telegram reports a refund (ours completing, or one made in Telegram): the books follow. */
export async function onRefundedPayment(ctx: Context, services: AppServices) {
  const refunded = (ctx.message as unknown as { refunded_payment: { total_amount: number; telegram_payment_charge_id: string } }).refunded_payment
  const result = await recordRefundedPayment(systemContext(services, 'telegram.refunded_payment', updateMeta(ctx)), { telegramPaymentChargeId: refunded.telegram_payment_charge_id, totalAmount: refunded.total_amount })
  services.logger.info('refunded_payment received', { chargeId: refunded.telegram_payment_charge_id, status: result.status })
}
