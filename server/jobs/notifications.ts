import { Markup } from 'telegraf'
import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { notificationAllowed } from '../services/account/profile'
import { chatRecipient } from '../services/auth/users'
import { getOrder } from '../services/orders'
import { getRefund } from '../services/payments'
import { sendChatMessage } from '../services/notifications/chat'
import { chatMessageJob, orderStatusNotificationJob, refundNotificationJob } from '../services/notifications/jobs'
import { orderStatusMessage, refundMessage } from '../services/notifications/order-status'

export const notificationWorkers = [
  /** The customer hears about each status change of their order, in their language. */
  jobWorker(orderStatusNotificationJob, async ({ orderId, status }, { services, logger }: JobContext<JobDeps>) => {
    const order = await getOrder(services.db, orderId)
    const customer = await chatRecipient(services.db, order.userId)
    if (!customer || customer.blocked) return
    if (!(await notificationAllowed(services.db, customer.id, 'order_updates'))) return
    const message = orderStatusMessage({ ...order, status }, customer.locale, services.config.publicUrl)
    if (!message) return
    if ((await sendChatMessage(services, customer.id, message.text, message.extra)) === 'blocked') logger.info('customer blocked the bot; not writing again', { userId: customer.id })
  }),
  /** A refund that did not close the order (part of a payment, or a flagged payment) is told on its own. */
  jobWorker(refundNotificationJob, async ({ refundId }, { services }: JobContext<JobDeps>) => {
    const refund = await getRefund(services.db, refundId)
    const customer = await chatRecipient(services.db, refund.payment.userId)
    if (!customer || customer.blocked) return
    const message = refundMessage(refund, customer.locale, services.config.publicUrl)
    await sendChatMessage(services, customer.id, message.text, message.extra)
  }),
  /** A prepared message (an alert to an operator, a reply): sent once, within Telegram's limits. */
  jobWorker(chatMessageJob, async ({ chatId, text, buttons }, { services }: JobContext<JobDeps>) => {
    const keyboard = buttons?.length ? Markup.inlineKeyboard(buttons.map((row) => row.map((b) => (b.webApp ? Markup.button.webApp(b.text, b.webApp) : Markup.button.url(b.text, b.url!))))) : undefined
    await sendChatMessage(services, chatId, text, keyboard)
  }),
]
