import { z } from 'zod'
import { defineJob } from './queue'
import type { JobDeps } from './deps'
import type { AppServices } from '../utils/runtime'
import type { OrderStatus } from '../db/schema/orders'
import { ORDER_STATUSES } from '../db/schema/orders'
import { getOrder } from '../services/orders'
import { findUserWithRoles, markBotBlocked, resolveLocale } from '../services/auth/users'
import { orderStatusMessage } from '../services/notifications/order-status'
import { chatSendBucket, classifySendError } from '../services/notifications/chat'

/** Tells the customer about an order's new status in the chat; rate-limited, retried, never twice per change. */
export const orderStatusNotificationJob = defineJob({
  name: 'notifications.order-status',
  schema: z.object({ orderId: z.number().int(), status: z.enum(ORDER_STATUSES) }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  work: { localConcurrency: 2 },
  async handle({ orderId, status }, { services, logger }: JobDeps & { logger: AppServices['logger'] }) {
    const order = await getOrder(services.db, orderId)
    const customer = await findUserWithRoles(services.db, order.userId)
    if (!customer || customer.row.blockedBotAt) return
    const lang = resolveLocale(customer.row.locale, customer.row.languageCode)
    const message = orderStatusMessage({ ...order, status }, lang, services.config.publicUrl)
    if (!message) return
    await chatSendBucket.take()
    try {
      await services.bot.telegram.sendMessage(order.userId, message.text, message.extra)
    } catch (error) {
      const failure = classifySendError(error)
      if (failure.kind === 'blocked') {
        await markBotBlocked(services.db, order.userId)
        logger.info('customer blocked the bot; not writing again', { userId: order.userId })
        return
      }
      if (failure.kind === 'retry_after') {
        await services.queue.enqueue(orderStatusNotificationJob, { orderId, status }, { startAfter: failure.seconds })
        return
      }
      throw error
    }
  },
})

/** Queues the chat message for a status change; one job per order and status. */
export async function enqueueOrderNotification(services: Pick<AppServices, 'queue'>, orderId: number, status: OrderStatus) {
  await services.queue.enqueue(orderStatusNotificationJob, { orderId, status }, { singletonKey: `order-${orderId}-${status}`, singletonSeconds: 24 * 3600 })
}
