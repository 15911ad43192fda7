/**
 * Telegram's questions during payment, answered from the stored order within its 10 seconds:
 * "where can this go, at what price?" (`shipping_query`) and "may this be paid?" (`pre_checkout_query`).
 */
import { z } from 'zod'
import { localeOf, type Locale } from '#shared/locale'
import type { Logger } from '../../utils/logger'
import type { DbOrTx } from '../../db/client'
import type { TelegramShippingAddress } from '../../db/schema/delivery'
import { findOrder, type OrderRow } from '../orders'
import { quoteShipping, resolveShippingOption, shippingRefusalMessage, toTelegramShippingOption } from '../delivery/shipping'
import { parseInvoicePayload } from './invoice'
import { BOOKING_PRE_CHECKOUT_MESSAGES, checkBookingPreCheckout, parseBookingPayload } from '../booking/prepayment'

export type PreCheckoutRefusal = 'unknown_order' | 'wrong_user' | 'not_payable' | 'expired' | 'currency_mismatch' | 'amount_mismatch' | 'shipping_invalid' | 'booking_not_payable' | 'booking_expired'

/** The order an invoice payload names, if this customer may pay it now (shared by shipping and pre-checkout queries). */
async function payableOrder(db: DbOrTx, query: { fromId: number; invoicePayload: string }): Promise<{ ok: true; order: OrderRow } | { ok: false; reason: 'unknown_order' | 'wrong_user' | 'not_payable' | 'expired' }> {
  const orderId = parseInvoicePayload(query.invoicePayload)
  if (orderId === undefined) return { ok: false, reason: 'unknown_order' }
  const order = await findOrder(db, orderId)
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
  if (!payable.ok) return { ok: false as const, message: (lang: Locale) => PRE_CHECKOUT_MESSAGES[payable.reason][lang] }
  const { order } = payable
  if (order.deliveryMethod !== 'telegram_shipping') return { ok: false as const, message: (lang: Locale) => PRE_CHECKOUT_MESSAGES.shipping_invalid[lang] }
  const quote = await quoteShipping(db, order, query.address)
  if (!quote.ok) return { ok: false as const, reason: quote.reason, message: (lang: Locale) => shippingRefusalMessage(quote, order.currency, lang) }
  return { ok: true as const, orderId: order.id, options: (lang: Locale) => quote.options.map((o) => toTelegramShippingOption(o, lang)) }
}

/**
 * Telegram asks "may this be paid?": the answer comes from the order as stored, within Telegram's
 * 10 s. For a Telegram-shipping order the total must be the order plus the chosen option, priced
 * again here from the zones for the address in `order_info`.
 */
export async function checkPreCheckout(
  db: DbOrTx,
  query: { fromId: number; currency: string; totalAmount: number; invoicePayload: string; shippingOptionId?: string; shippingAddress?: TelegramShippingAddress },
): Promise<{ ok: true; orderId?: number; bookingId?: number } | { ok: false; reason: PreCheckoutRefusal }> {
  // A booking's prepayment (`booking:<id>`): the hold must still stand, for the booking's own amount.
  const bookingId = parseBookingPayload(query.invoicePayload)
  if (bookingId !== undefined) return checkBookingPreCheckout(db, bookingId, query)
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

export const PRE_CHECKOUT_MESSAGES: Record<PreCheckoutRefusal, Record<Locale, string>> = {
  unknown_order: { ru: 'Заказ не найден. Оформите его заново в приложении.', en: 'We could not find this order. Please place it again in the app.' },
  wrong_user: { ru: 'Этот счёт выставлен другому покупателю.', en: 'This invoice belongs to another customer.' },
  not_payable: { ru: 'Заказ уже оплачен или отменён — деньги не списаны.', en: 'This order is already paid or cancelled; you have not been charged.' },
  expired: { ru: 'Время на оплату истекло, товары вернулись на склад. Оформите заказ заново.', en: 'The time to pay has run out and the items were released. Please order again.' },
  currency_mismatch: { ru: 'Валюта счёта не совпадает с заказом. Откройте оплату из приложения заново.', en: 'The invoice currency does not match the order. Open the payment from the app again.' },
  amount_mismatch: { ru: 'Сумма изменилась. Откройте оплату из приложения заново.', en: 'The amount has changed. Open the payment from the app again.' },
  shipping_invalid: { ru: 'Этот способ доставки недоступен для указанного адреса. Выберите адрес и доставку заново.', en: 'This delivery option is not available for the address given. Choose the address and delivery again.' },
  ...BOOKING_PRE_CHECKOUT_MESSAGES,
}

/** The fields of Telegram's `pre_checkout_query` the answer depends on. */
export const PreCheckoutQuerySchema = z.object({
  id: z.string().min(1).max(256),
  from: z.object({ id: z.number().int(), language_code: z.string().max(35).optional() }),
  currency: z.string().min(1).max(8),
  total_amount: z.number().int(),
  invoice_payload: z.string().max(4096),
  shipping_option_id: z.string().max(256).optional(),
  order_info: z.object({ shipping_address: z.custom<TelegramShippingAddress>((v) => v !== null && typeof v === 'object').optional() }).passthrough().optional(),
})
export type PreCheckoutQuery = z.infer<typeof PreCheckoutQuerySchema>

/** The parameters of `answerPreCheckoutQuery` for a query: ok, or a refusal in the payer's language. */
export async function answerPreCheckout(db: DbOrTx, logger: Pick<Logger, 'info'>, q: PreCheckoutQuery) {
  const verdict = await checkPreCheckout(db, {
    fromId: q.from.id,
    currency: q.currency,
    totalAmount: q.total_amount,
    invoicePayload: q.invoice_payload,
    shippingOptionId: q.shipping_option_id,
    shippingAddress: q.order_info?.shipping_address,
  })
  if (verdict.ok) return { pre_checkout_query_id: q.id, ok: true as const }
  logger.info('pre-checkout refused', { reason: verdict.reason, payload: q.invoice_payload, userId: q.from.id })
  return { pre_checkout_query_id: q.id, ok: false as const, error_message: PRE_CHECKOUT_MESSAGES[verdict.reason][localeOf(q.from.language_code)] }
}
