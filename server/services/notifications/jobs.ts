import { z } from 'zod'
import { defineJob } from '../../jobs/queue'
import { ORDER_STATUSES } from '#shared/schemas/orders'

/** Tells the customer about an order's new status in the chat; rate-limited, retried, never twice per change. */
export const orderStatusNotificationJob = defineJob({
  name: 'notifications.order-status',
  schema: z.object({ orderId: z.number().int(), status: z.enum(ORDER_STATUSES) }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  // A burst of payments leaves at Telegram's pace (server/services/notifications/chat.ts), not at
  // one fetch per job: up to 60 jobs per fetch, sent at once within the limits, in order per order.
  work: { batchSize: 60, sequentialBy: (data: { orderId: number }) => data.orderId },
})

/** Tells the customer a refund was made (whole or part), in their language. */
export const refundNotificationJob = defineJob({
  name: 'notifications.refund',
  schema: z.object({ refundId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/** One job per order and status: a repeated enqueue of the same change (a retried request) is dropped. */
export const orderStatusJobOptions = (orderId: number, status: string) => ({ singletonKey: `order-${orderId}-${status}`, singletonSeconds: 24 * 3600 })

/**
 * One prepared chat message to one chat (alerts fanned out to several operators go as one job
 * each, so a retry never repeats a message another operator already got).
 */
export const chatMessageJob = defineJob({
  name: 'notifications.chat-message',
  schema: z.object({
    chatId: z.number().int(),
    text: z.string().min(1).max(4096),
    /** Inline keyboard rows: URL or Mini App buttons. */
    buttons: z.array(z.array(z.object({ text: z.string().min(1).max(64), url: z.url().optional(), webApp: z.url().optional() }))).optional(),
  }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  work: { batchSize: 60, sequentialBy: (data: { chatId: number }) => data.chatId },
})
