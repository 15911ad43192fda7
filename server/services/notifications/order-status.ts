import { Markup } from 'telegraf'
import type { OrderStatus } from '../../db/schema/orders'
import { miniAppUrl } from '../../bot'
import { formatMoney } from '#shared/money'

type Lang = 'ru' | 'en'

/** Statuses a customer hears about in the chat; the rest only show in the order timeline. */
export const NOTIFIED_STATUSES: readonly OrderStatus[] = ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded']

const TEXT: Record<Lang, Partial<Record<OrderStatus, (n: string, total: string) => string>>> = {
  ru: {
    new: (n, t) => `Заказ ${n} принят на ${t}. Мы напишем, когда начнём готовить.`,
    awaiting_payment: (n, t) => `Заказ ${n} на ${t} ждёт оплаты. Оплатить можно в приложении в течение 30 минут.`,
    paid: (n, t) => `Оплата ${t} получена, заказ ${n} оплачен. Спасибо!`,
    in_progress: (n) => `Готовим заказ ${n}.`,
    ready: (n) => `Заказ ${n} готов — можно забирать.`,
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
    shipped: (n) => `Order ${n} is on its way with the courier.`,
    done: (n) => `Order ${n} is complete. Enjoy!`,
    cancelled: (n) => `Order ${n} was cancelled.`,
    refunded: (n, t) => `A refund of ${t} for order ${n} has been issued.`,
  },
}


/** The chat message for a status change, with a button that opens the order in the Mini App. */
export function orderStatusMessage(order: { id: number; number: string; status: OrderStatus; totalMinor: number; currency: string }, lang: Lang, publicUrl: string) {
  const make = TEXT[lang][order.status]
  if (!make) return undefined
  const text = make(order.number, formatMoney(order.totalMinor, order.currency, lang))
  const button = Markup.button.webApp(lang === 'ru' ? 'Открыть заказ' : 'Open the order', miniAppUrl(publicUrl, `order_${order.id}`))
  return { text, extra: Markup.inlineKeyboard([button]) }
}
