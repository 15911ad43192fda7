import { Markup } from 'telegraf'
import type { Locale } from '#shared/locale'
import type { OrderStatus } from '../../db/schema/orders'
import type { DeliveryMethod } from '../../db/schema/delivery'
import type { LocalizedText } from '../../db/schema/_columns'
import type { PaymentFlag } from '../../db/schema/payments'
import { miniAppUrl } from '../telegram/links'
import { formatMoney } from '#shared/money'

type Lang = Locale

/** Statuses a customer hears about in the chat; the rest only show in the order timeline. */
export const NOTIFIED_STATUSES: readonly OrderStatus[] = ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded']

const TEXT: Record<Lang, Partial<Record<OrderStatus | 'ready_courier', (n: string, total: string) => string>>> = {
  ru: {
    new: (n, t) => `Заказ ${n} принят на ${t}. Мы напишем, когда начнём готовить.`,
    awaiting_payment: (n, t) => `Заказ ${n} на ${t} ждёт оплаты. Оплатить можно в приложении в течение 30 минут.`,
    paid: (n, t) => `Оплата ${t} получена, заказ ${n} оплачен. Спасибо!`,
    in_progress: (n) => `Готовим заказ ${n}.`,
    ready: (n) => `Заказ ${n} готов — можно забирать.`,
    // The same status for a courier order: packed and waiting for the courier.
    ready_courier: (n) => `Заказ ${n} собран и ждёт курьера.`,
    shipped: (n) => `Заказ ${n} передан курьеру.`,
    done: (n) => `Заказ ${n} выполнен. Приятного аппетита!`,
    cancelled: (n) => `Заказ ${n} отменён.`,
    refunded: (n, t) => `По заказу ${n} оформлен возврат ${t}.`,
  },
  en: {
    new: (n, t) => `Order ${n} for ${t} is confirmed. We will let you know when we start preparing it.`,
    awaiting_payment: (n, t) => `Order ${n} for ${t} is waiting for payment. You can pay in the app within 30 minutes.`,
    paid: (n, t) => `Payment of ${t} received: order ${n} is paid. Thank you!`,
    in_progress: (n) => `We are preparing order ${n}.`,
    ready: (n) => `Order ${n} is ready for pickup.`,
    ready_courier: (n) => `Order ${n} is packed and waiting for the courier.`,
    shipped: (n) => `Order ${n} is on its way with the courier.`,
    done: (n) => `Order ${n} is complete. Enjoy!`,
    cancelled: (n) => `Order ${n} was cancelled.`,
    refunded: (n, t) => `A refund of ${t} for order ${n} has been issued.`,
  },
}

/** Statuses after which a pickup customer is told where and when to come. */
const PICKUP_REMINDED: readonly OrderStatus[] = ['new', 'paid', 'ready']
const PICKUP_LINE = { ru: 'Самовывоз', en: 'Pickup' }

type PickupPoint = { name: LocalizedText; address: LocalizedText; hours: LocalizedText }

/** The chat message for a status change, with a button that opens the order in the Mini App; a pickup order names its point. */
export function orderStatusMessage(
  order: { id: number; number: string; status: OrderStatus; totalMinor: number; currency: string; deliveryMethod?: DeliveryMethod; pickupPoint?: PickupPoint | null },
  lang: Lang,
  publicUrl: string,
) {
  const courierReady = order.status === 'ready' && order.deliveryMethod !== undefined && order.deliveryMethod !== 'pickup'
  const make = TEXT[lang][courierReady ? 'ready_courier' : order.status]
  if (!make) return undefined
  let text = make(order.number, formatMoney(order.totalMinor, order.currency, lang))
  const point = order.deliveryMethod === 'pickup' ? order.pickupPoint : undefined
  if (point && PICKUP_REMINDED.includes(order.status)) text += `\n${PICKUP_LINE[lang]}: ${point.name[lang]}, ${point.address[lang]}. ${point.hours[lang]}.`
  const button = Markup.button.webApp(lang === 'ru' ? 'Открыть заказ' : 'Open the order', miniAppUrl(publicUrl, `order_${order.id}`))
  return { text, extra: Markup.inlineKeyboard([button]) }
}

/** The chat message for a refund that did not close the order (a part of a payment, or a payment that never applied). */
export function refundMessage(refund: { amountMinor: number; payment: { currency: string; orderId: number | null; provider: string }; orderNumber: string | null }, lang: Lang, publicUrl: string) {
  const amount = formatMoney(refund.amountMinor, refund.payment.currency, lang)
  const card = refund.payment.provider === 'telegram_provider'
  const text =
    lang === 'ru'
      ? `Мы вернули ${amount}${refund.orderNumber ? ` по заказу ${refund.orderNumber}` : ''}.${card ? ' Деньги придут на карту в течение нескольких дней.' : ''}`
      : `We have refunded ${amount}${refund.orderNumber ? ` for order ${refund.orderNumber}` : ''}.${card ? ' The money will reach your card within a few days.' : ''}`
  const button = refund.payment.orderId ? Markup.inlineKeyboard([Markup.button.webApp(lang === 'ru' ? 'Открыть заказ' : 'Open the order', miniAppUrl(publicUrl, `order_${refund.payment.orderId}`))]) : undefined
  return { text, extra: button }
}

const FLAG_TEXT: Record<Lang, Record<PaymentFlag, string>> = {
  ru: { order_already_paid: 'заказ уже был оплачен', order_cancelled: 'заказ был отменён', order_not_payable: 'заказ не найден', amount_mismatch: 'сумма не совпала с заказом', wrong_user: 'заказ оформлял другой покупатель', booking_not_payable: 'запись уже не ждала оплаты', booking_refund_due: 'запись отменена' },
  en: { order_already_paid: 'the order was already paid', order_cancelled: 'the order had been cancelled', order_not_payable: 'the order was not found', amount_mismatch: 'the amount did not match the order', wrong_user: 'the order belongs to another customer', booking_not_payable: 'the booking was no longer waiting for it', booking_refund_due: 'the booking was cancelled' },
}

/** What operators and the customer read about a payment that could not apply to its order. */
export function paymentFlaggedMessages(payment: { id: number; amountMinor: number; currency: string; flag: PaymentFlag | null; orderNumber: string | null }) {
  const flag = payment.flag ?? 'order_not_payable'
  const amount = (lang: Lang) => formatMoney(payment.amountMinor, payment.currency, lang)
  const order = (lang: Lang) => (payment.orderNumber ? (lang === 'ru' ? ` (заказ ${payment.orderNumber})` : ` (order ${payment.orderNumber})`) : '')
  return {
    staff: {
      ru: `⚠️ Платёж №${payment.id} на ${amount('ru')} не применён: ${FLAG_TEXT.ru[flag]}${order('ru')}. Верните его в /admin → Платежи.`,
      en: `⚠️ Payment #${payment.id} of ${amount('en')} was not applied: ${FLAG_TEXT.en[flag]}${order('en')}. Refund it in /admin → Payments.`,
    },
    customer: {
      ru: `Мы получили платёж на ${amount('ru')}, но ${FLAG_TEXT.ru[flag]}. Мы вернём деньги — напишем, когда это произойдёт.`,
      en: `We received your payment of ${amount('en')}, but ${FLAG_TEXT.en[flag]}. We will refund it and let you know.`,
    },
  }
}
