import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Delivers one stored message (an operator's reply, an automatic answer) to the customer's chat.
 * The message row keeps its delivery state; the worker counts attempts itself and marks the
 * message failed after the last one, so an operator sees what did not arrive.
 */
export const deliverSupportMessageJob = defineJob({
  name: 'support.deliver-message',
  // conversationId keeps one conversation's messages in order within a batch (absent on jobs queued by older releases).
  schema: z.object({ messageId: z.number().int(), conversationId: z.number().int().optional() }),
  queue: { retryLimit: 10, retryDelay: 5, retryBackoff: true },
  work: { batchSize: 40, sequentialBy: (data: { messageId: number; conversationId?: number }) => data.conversationId ?? `m${data.messageId}` },
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
  work: { batchSize: 40, sequentialBy: (data: { conversationId: number }) => data.conversationId },
})

/** Delivery attempts before a message is marked failed for an operator to see (and retry by hand). */
export const MAX_DELIVERY_ATTEMPTS = 5

/**
 * Copies one message of a conversation into its forum topic in the operators' Telegram group
 * (creating the topic first): the customer's own message by `copyMessage`, an answer written in
 * /admin as text. A message already copied is not copied again. One relay runs at a time in the
 * whole deployment (`singleton`): they all post into the one group, at most one post per 3 s anyway.
 */
export const relayToTopicJob = defineJob({
  name: 'support.relay-to-topic',
  schema: z.object({ messageId: z.number().int() }),
  queue: { retryLimit: 10, retryDelay: 5, retryBackoff: true, policy: 'singleton' },
  work: { localConcurrency: 1 },
})

/** Closes or reopens the conversation's forum topic to match its status. */
export const syncTopicJob = defineJob({
  name: 'support.sync-topic',
  schema: z.object({ conversationId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})
