import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Delivers one stored message (an operator's reply, an automatic answer) to the customer's chat.
 * The message row keeps its delivery state; the worker counts attempts itself and marks the
 * message failed after the last one, so an operator sees what did not arrive.
 */
export const deliverSupportMessageJob = defineJob({
  name: 'support.deliver-message',
  schema: z.object({ messageId: z.number().int() }),
  queue: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  work: { localConcurrency: 2 },
})

/** After a conversation is closed: asks the customer for a rating (1-5) with buttons in the chat. */
export const askSupportRatingJob = defineJob({
  name: 'support.ask-rating',
  schema: z.object({ conversationId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/** Tells operators in their Telegram chat that a customer is waiting (a new or reopened conversation). */
export const notifyOperatorsJob = defineJob({
  name: 'support.notify-operators',
  schema: z.object({ conversationId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/** Delivery attempts before a message is marked failed for an operator to see (and retry by hand). */
export const MAX_DELIVERY_ATTEMPTS = 5
