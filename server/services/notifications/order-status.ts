import { Markup } from 'telegraf'
import type { DeliveryMethod, OrderStatus } from '../../db/schema/orders'
import type { LocalizedText } from '../../db/schema/_columns'
import { miniAppUrl } from '../../bot'

type Lang = 'ru' | 'en'

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

export function formatMoney(minor: number, currency: string, lang: Lang) {
  const digits = currency === 'XTR' ? 0 : 2
  return new Intl.NumberFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { style: 'currency', currency: currency === 'XTR' ? 'USD' : currency, minimumFractionDigits: minor % 100 === 0 ? 0 : digits }).format(minor / 100)
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
