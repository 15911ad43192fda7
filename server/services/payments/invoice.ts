/**
 * Invoices for orders awaiting payment: priced from the stored order (never the client), with the
 * order reference as Telegram's invoice payload, which comes back in pre-checkout and success.
 */
import type { Locale } from '#shared/locale'
import { DomainError } from '../../utils/errors'
import type { ServiceContext } from '../context'
import { getOrder } from '../orders'
import { chatRecipient } from '../auth/users'
import { bookingInvoice } from '../booking/prepayment'

/** What goes into the invoice payload (1-128 bytes) and comes back in pre-checkout and success. */
export const invoicePayload = (orderId: number) => `order:${orderId}`
export function parseInvoicePayload(payload: string): number | undefined {
  const match = /^order:(\d{1,10})$/.exec(payload)
  return match ? Number(match[1]) : undefined
}

/** Sandbox stand-in for a provider token: the fake Bot API plays the payment provider. */
const SANDBOX_PROVIDER_TOKEN = '1877036958:TEST:sandbox'

/** The provider token card invoices carry: the configured one, the sandbox's, or none (Stars only). */
export function providerToken(config: ServiceContext['config']) {
  return config.telegram.paymentProviderToken ?? (config.telegram.sandbox ? SANDBOX_PROVIDER_TOKEN : '')
}

/**
 * The invoice for an order awaiting payment: amounts from the order, one price line per item plus
 * delivery; Stars (XTR) invoices carry exactly one line and no provider token.
 */
export async function buildInvoice(db: ServiceContext['db'], orderId: number, userId: number, options: { providerToken: string; lang: Locale }) {
  const order = await getOrder(db, orderId, userId)
  if (order.status !== 'awaiting_payment') throw new DomainError('order_not_payable', 'This order is not waiting for payment', 409, { status: order.status })
  if (!order.reservedUntil || order.reservedUntil.getTime() <= Date.now()) throw new DomainError('order_expired', 'The time to pay this order has run out; place it again', 409)
  const stars = order.currency === 'XTR'
  const title = (options.lang === 'ru' ? `Заказ ${order.number}` : `Order ${order.number}`).slice(0, 32)
  const description = order.items
    .map((i) => `${i.name[options.lang]} × ${i.quantity}`)
    .join(', ')
    .slice(0, 255)
  const prices = stars
    ? [{ label: title, amount: order.totalMinor }]
    : [
        ...order.items.map((i) => ({ label: `${i.name[options.lang]} × ${i.quantity}`.slice(0, 64), amount: i.totalMinor })),
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

/** A Telegram invoice link for the customer's own order awaiting payment, in their language, for the Mini App to open. */
export async function createInvoiceLink(ctx: ServiceContext, orderId: number) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only the customer pays their order')
  const lang = (await chatRecipient(ctx.db, ctx.actor.userId))?.locale ?? 'ru'
  const { order, invoice } = await buildInvoice(ctx.db, orderId, ctx.actor.userId, { providerToken: providerToken(ctx.config), lang })
  const link = await ctx.bot.telegram.createInvoiceLink(invoice)
  return { link, order }
}

/**
 * A Telegram invoice link for the prepayment of the customer's own booking hold (payload
 * `booking:<id>`, amount from the booking, Stars or the card provider as the service says).
 */
export async function createBookingInvoiceLink(ctx: ServiceContext, bookingId: number) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only the customer pays their booking')
  const lang = (await chatRecipient(ctx.db, ctx.actor.userId))?.locale ?? 'ru'
  const { booking, invoice } = await bookingInvoice(ctx.db, bookingId, ctx.actor.userId, { providerToken: providerToken(ctx.config), lang })
  const link = await ctx.bot.telegram.createInvoiceLink(invoice)
  return { link, booking }
}
