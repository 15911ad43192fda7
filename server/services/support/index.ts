import { and, asc, desc, eq, gt, inArray, lt, ne, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { supportConversations, supportMessages, type SupportAttachment } from '../../db/schema/support'
import type { ConversationStatus, InboxQuery } from '#shared/schemas/support'
import { can } from '#shared/permissions'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext, type WriteContext } from '../context'
import { getRoles } from '../auth/users'
import { getOrder } from '../orders'
import { listArticles } from './articles'
import { businessTimezone } from '../settings'
import { getSupportHours, withinHours } from './hours'
import { askSupportRatingJob, deliverSupportMessageJob, MAX_DELIVERY_ATTEMPTS, notifyOperatorsJob, relayToTopicJob, syncTopicJob } from './jobs'
import { getOperatorGroup } from './topics'
import { emitIntegrationEvent } from '../integrations/outbox'
import { conversationEvent } from './events'

export type ConversationRow = typeof supportConversations.$inferSelect
export type MessageRow = typeof supportMessages.$inferSelect

/** An automatic answer outside hours is repeated at most this often in one conversation. */
const AUTO_REPLY_EVERY_HOURS = 12
const PREVIEW_LENGTH = 140

const ACK = {
  ru: (minutes: number) => `Спасибо, сообщение получили. Оператор ответит здесь, обычно в течение ${minutes} мин.`,
  en: (minutes: number) => `Thank you, we have your message. An operator will answer here, usually within ${minutes} min.`,
}
const MAYBE_HELPS = { ru: 'Возможно, ответ уже есть:', en: 'The answer may already be here:' }

const preview = (text: string | null | undefined, attachment?: SupportAttachment | null) => (text ? text.slice(0, PREVIEW_LENGTH) : attachment ? `[${attachment.kind}]` : '')

function customerOf(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only a customer writes to support as themselves')
  return ctx.actor.userId
}

function staffOf(ctx: ServiceContext) {
  if (ctx.actor.kind !== 'staff' || !can(ctx.actor.roles, 'support.reply')) throw new DomainError('forbidden', 'Only operators answer conversations')
  return ctx.actor.userId
}

/** What a customer sent: text and/or a Telegram file reference; `sourceKey` makes a redelivery change nothing. */
export interface CustomerMessageInput {
  text?: string | null
  attachment?: SupportAttachment | null
  /** `tg:<chat>:<message_id>` or `app:<user>:<Idempotency-Key>`. */
  sourceKey: string
  via: 'bot' | 'app'
  articleSlug?: string
  orderId?: number
  /** The customer's language, for the automatic answers. */
  locale: 'ru' | 'en'
}

/** The customer's conversation that is not closed, locked; created when there is none (concurrent first messages meet in the same one). */
async function openConversationFor(w: WriteContext, customerId: number): Promise<{ conversation: ConversationRow; created: boolean }> {
  const find = () => w.db.select().from(supportConversations).where(and(eq(supportConversations.customerId, customerId), ne(supportConversations.status, 'closed'))).for('update')
  const [existing] = await find()
  if (existing) return { conversation: existing, created: false }
  const [inserted] = await w.db.insert(supportConversations).values({ customerId }).onConflictDoNothing().returning()
  if (inserted) return { conversation: inserted, created: true }
  const [raced] = await find()
  return { conversation: raced!, created: false }
}

/** Stores an automatic message to the customer and queues its delivery. */
async function addAutoMessage(w: WriteContext, conversationId: number, text: string) {
  const [message] = await w.db.insert(supportMessages).values({ conversationId, kind: 'auto', text, delivery: 'pending' }).returning()
  await w.enqueue(deliverSupportMessageJob, { messageId: message!.id, conversationId })
}

/**
 * A customer writes to support (a chat message, a photo, or "talk to a person" in the Mini App).
 * The message is stored first, in the customer's one open conversation; then operators are told
 * (new or reopened conversation), and the customer gets an automatic answer: outside hours the
 * business's auto-reply, else for a new chat conversation an acknowledgement with the expected
 * wait and the articles that may already answer it. A repeated `sourceKey` returns the first
 * message and changes nothing.
 */
export async function recordCustomerMessage(ctx: ServiceContext, input: CustomerMessageInput) {
  const customerId = customerOf(ctx)
  if (!input.text && !input.attachment) throw new DomainError('validation_failed', 'A message needs text or a file', 400)
  if (input.orderId !== undefined) await getOrder(ctx.db, input.orderId, customerId)
  const hours = await getSupportHours(ctx.db)
  const online = withinHours(hours, await businessTimezone(ctx.db), new Date())
  const suggestions = input.via === 'bot' && input.text && online ? await listArticles(ctx.db, { q: input.text.slice(0, 100), limit: 3 }) : []
  const group = await getOperatorGroup(ctx.db)
  try {
    return await write(ctx, async (w) => {
      const [seen] = await w.db.select().from(supportMessages).where(eq(supportMessages.sourceKey, input.sourceKey))
      if (seen) return { message: seen, conversationId: seen.conversationId, duplicate: true, created: false }
      const { conversation, created } = await openConversationFor(w, customerId)
      const [message] = await w.db
        .insert(supportMessages)
        .values({ conversationId: conversation.id, kind: 'customer', authorId: customerId, text: input.text || null, attachment: input.attachment ?? null, sourceKey: input.sourceKey })
        .onConflictDoNothing()
        .returning()
      if (!message) {
        const [first] = await w.db.select().from(supportMessages).where(eq(supportMessages.sourceKey, input.sourceKey))
        return { message: first!, conversationId: first!.conversationId, duplicate: true, created: false }
      }
      await w.db
        .update(supportConversations)
        .set({
          status: 'open',
          unreadForStaff: sql`${supportConversations.unreadForStaff} + 1`,
          lastMessageAt: sql`now()`,
          lastMessagePreview: preview(input.text, input.attachment),
          ...(input.articleSlug && { articleSlug: input.articleSlug }),
          ...(input.orderId && { orderId: input.orderId }),
        })
        .where(eq(supportConversations.id, conversation.id))
      if (created || conversation.status === 'waiting') await w.enqueue(notifyOperatorsJob, { conversationId: conversation.id })
      // The operators' group sees the customer's words in the conversation's topic.
      if (group.chatId !== null) await w.enqueue(relayToTopicJob, { messageId: message.id })
      if (created) await emitIntegrationEvent(w, conversationEvent('conversation.opened', conversation))
      if (!online) {
        const [recent] = await w.db
          .select({ id: supportMessages.id })
          .from(supportMessages)
          .where(and(eq(supportMessages.conversationId, conversation.id), eq(supportMessages.kind, 'auto'), gt(supportMessages.createdAt, sql`now() - make_interval(hours => ${AUTO_REPLY_EVERY_HOURS})`)))
          .limit(1)
        if (!recent) await addAutoMessage(w, conversation.id, hours.autoReply[input.locale])
      } else if (created && input.via === 'bot') {
        const lines = [ACK[input.locale](hours.expectedReplyMinutes)]
        if (suggestions.length) lines.push('', MAYBE_HELPS[input.locale], ...suggestions.map((a) => `• ${a.title[input.locale]}`))
        await addAutoMessage(w, conversation.id, lines.join('\n'))
      }
      return { message, conversationId: conversation.id, duplicate: false, created }
    })
  } catch (error) {
    // Two first messages of one customer raced to create the conversation: the second one retries into it.
    if (isUniqueViolation(error, 'support_conversations_one_open_idx')) return recordCustomerMessage(ctx, input)
    throw error
  }
}

async function lockConversation(w: WriteContext, id: number) {
  const [row] = await w.db.select().from(supportConversations).where(eq(supportConversations.id, id)).for('update')
  if (!row) throw new DomainError('not_found', 'No such conversation')
  return row
}

/** What an operator may send a customer besides words: a photo or a document, by Telegram's file reference. */
export const OPERATOR_ATTACHMENT_KINDS: readonly SupportAttachment['kind'][] = ['photo', 'document']

/** An operator's answer or note: text, a file (a photo or document written in the forum topic) or both. */
export interface OperatorMessageInput {
  text?: string | null
  attachment?: SupportAttachment | null
  note?: boolean
  /** `tg:<group>:<message_id>` for an answer written in the conversation's forum topic. */
  sourceKey?: string
}

/**
 * An operator answers (queued for delivery to the customer's chat; the conversation then waits for
 * the customer, is taken by the operator if nobody had it, and its first response is timed) or
 * leaves an internal note (never shown to the customer).
 */
export async function replyAsOperator(ctx: ServiceContext, conversationId: number, input: OperatorMessageInput) {
  const operatorId = staffOf(ctx)
  const text = input.text || null
  const attachment = input.attachment ?? null
  if (!text && !attachment) throw new DomainError('validation_failed', 'A reply needs text or a file', 400)
  if (attachment && !OPERATOR_ATTACHMENT_KINDS.includes(attachment.kind)) throw new DomainError('validation_failed', 'Only a photo or a document goes to the customer', 400, [{ path: 'attachment', message: 'photo or document' }])
  const group = await getOperatorGroup(ctx.db)
  return write(ctx, async (w) => {
    const conversation = await lockConversation(w, conversationId)
    if (input.sourceKey) {
      // Written in the conversation's forum topic: Telegram redelivering it changes nothing.
      const [seen] = await w.db.select().from(supportMessages).where(eq(supportMessages.sourceKey, input.sourceKey))
      if (seen) return seen
    }
    if (input.note) {
      const [note] = await w.db.insert(supportMessages).values({ conversationId, kind: 'note', authorId: operatorId, text, attachment }).returning()
      await w.audit({ action: 'support.note', entityType: 'support_conversation', entityId: conversationId, after: { messageId: note!.id } })
      return note!
    }
    if (conversation.status === 'closed') throw new DomainError('conversation_closed', 'The conversation is closed; the customer starts a new one by writing again', 409)
    const [message] = await w.db.insert(supportMessages).values({ conversationId, kind: 'operator', authorId: operatorId, text, attachment, delivery: 'pending', sourceKey: input.sourceKey ?? null }).returning()
    await w.db
      .update(supportConversations)
      .set({
        status: 'waiting',
        assigneeId: conversation.assigneeId ?? operatorId,
        firstResponseAt: conversation.firstResponseAt ?? sql`now()`,
        unreadForStaff: 0,
        unreadForCustomer: sql`${supportConversations.unreadForCustomer} + 1`,
        lastMessageAt: sql`now()`,
        lastMessagePreview: preview(text, attachment),
      })
      .where(eq(supportConversations.id, conversationId))
    await w.enqueue(deliverSupportMessageJob, { messageId: message!.id, conversationId })
    // An answer written in /admin shows in the topic too (one written in the topic is there already).
    if (group.chatId !== null && !input.sourceKey) await w.enqueue(relayToTopicJob, { messageId: message!.id })
    await w.audit({ action: 'support.reply', entityType: 'support_conversation', entityId: conversationId, after: { messageId: message!.id } })
    return message!
  })
}

/** Gives the conversation to an operator (someone who may answer support), or back to nobody. */
export async function assignConversation(ctx: ServiceContext, conversationId: number, assigneeId: number | null) {
  staffOf(ctx)
  if (assigneeId !== null && !can(await getRoles(ctx.db, assigneeId), 'support.reply')) throw new DomainError('validation_failed', 'That person does not answer support', 400, [{ path: 'assigneeId', message: 'not an operator' }])
  return write(ctx, async (w) => {
    const before = await lockConversation(w, conversationId)
    const [after] = await w.db.update(supportConversations).set({ assigneeId }).where(eq(supportConversations.id, conversationId)).returning()
    await w.audit({ action: 'support.assign', entityType: 'support_conversation', entityId: conversationId, before: { assigneeId: before.assigneeId }, after: { assigneeId } })
    return after!
  })
}

/**
 * Moves a conversation between open, waiting and closed. Closing stamps the resolution time and
 * asks the customer for a rating in the chat; a closed conversation reopens only while the
 * customer has no newer one.
 */
export async function setConversationStatus(ctx: ServiceContext, conversationId: number, status: ConversationStatus) {
  staffOf(ctx)
  try {
    return await write(ctx, async (w) => {
      const before = await lockConversation(w, conversationId)
      if (before.status === status) return before
      const [after] = await w.db
        .update(supportConversations)
        .set({ status, closedAt: status === 'closed' ? sql`now()` : null, ...(status === 'closed' && { unreadForStaff: 0 }) })
        .where(eq(supportConversations.id, conversationId))
        .returning()
      if (status === 'closed') await w.enqueue(askSupportRatingJob, { conversationId }, { singletonKey: `support-rating-${conversationId}`, singletonSeconds: 3600 })
      // The forum topic follows: closed with the conversation, reopened with it.
      if (before.topicThreadId !== null && (status === 'closed' || before.status === 'closed')) await w.enqueue(syncTopicJob, { conversationId })
      if (status === 'closed' || before.status === 'closed') await emitIntegrationEvent(w, conversationEvent(status === 'closed' ? 'conversation.closed' : 'conversation.opened', after!))
      await w.audit({ action: 'support.status', entityType: 'support_conversation', entityId: conversationId, before: { status: before.status }, after: { status } })
      return after!
    })
  } catch (error) {
    if (isUniqueViolation(error, 'support_conversations_one_open_idx')) throw new DomainError('conflict', 'The customer already has a newer open conversation', 409)
    throw error
  }
}

/** The customer rates a closed conversation of theirs (1-5, an optional comment); rating again replaces it. */
export async function rateConversation(ctx: ServiceContext, conversationId: number, input: { rating: number; comment?: string }) {
  const customerId = customerOf(ctx)
  return write(ctx, async (w) => {
    const conversation = await lockConversation(w, conversationId)
    if (conversation.customerId !== customerId) throw new DomainError('not_found', 'No such conversation')
    if (conversation.status !== 'closed') throw new DomainError('conflict', 'Only a closed conversation is rated', 409)
    const [after] = await w.db.update(supportConversations).set({ rating: input.rating, ratingComment: input.comment ?? null }).where(eq(supportConversations.id, conversationId)).returning()
    await w.audit({ action: 'support.rating', entityType: 'support_conversation', entityId: conversationId, after: input })
    return after!
  })
}

/** An operator opened the conversation: its customer messages count as read. */
export async function markReadByStaff(db: DbOrTx, conversationId: number) {
  await db.update(supportConversations).set({ unreadForStaff: 0 }).where(and(eq(supportConversations.id, conversationId), gt(supportConversations.unreadForStaff, 0)))
}

/** The customer opened the conversation in the Mini App. */
export async function markReadByCustomer(db: DbOrTx, conversationId: number) {
  await db.update(supportConversations).set({ unreadForCustomer: 0 }).where(and(eq(supportConversations.id, conversationId), gt(supportConversations.unreadForCustomer, 0)))
}

/** One page of the inbox, newest activity first, keyset by id within the folder. */
export async function listInbox(db: DbOrTx, query: InboxQuery, operatorId: number) {
  const c = supportConversations
  const folder: Record<InboxQuery['folder'], SQL | undefined> = {
    new: and(eq(c.status, 'open'), sql`${c.assigneeId} is null`),
    mine: and(ne(c.status, 'closed'), eq(c.assigneeId, operatorId)),
    waiting: eq(c.status, 'waiting'),
    closed: eq(c.status, 'closed'),
    open: ne(c.status, 'closed'),
  }
  const rows = await db
    .select()
    .from(c)
    .where(and(folder[query.folder], query.cursor ? lt(c.id, query.cursor) : undefined))
    .orderBy(desc(c.id))
    .limit(query.limit + 1)
  const page = rows.slice(0, query.limit)
  return { items: page, nextCursor: rows.length > query.limit ? page.at(-1)!.id : null }
}

/** How many conversations each folder holds (the inbox's counters). */
export async function inboxCounts(db: DbOrTx, operatorId: number) {
  const c = supportConversations
  const [row] = await db
    .select({
      new: sql<number>`count(*) filter (where ${c.status} = 'open' and ${c.assigneeId} is null)::int`,
      mine: sql<number>`count(*) filter (where ${c.status} <> 'closed' and ${c.assigneeId} = ${operatorId})::int`,
      waiting: sql<number>`count(*) filter (where ${c.status} = 'waiting')::int`,
      unread: sql<number>`coalesce(sum(${c.unreadForStaff}) filter (where ${c.status} <> 'closed'), 0)::int`,
    })
    .from(c)
    .where(ne(c.status, 'closed'))
  return row!
}

/** A conversation and its messages (notes included: staff only). */
export async function getConversation(db: DbOrTx, conversationId: number) {
  const [conversation] = await db.select().from(supportConversations).where(eq(supportConversations.id, conversationId))
  if (!conversation) throw new DomainError('not_found', 'No such conversation')
  const messages = await db.select().from(supportMessages).where(eq(supportMessages.conversationId, conversationId)).orderBy(asc(supportMessages.id))
  return { conversation, messages }
}

/** The customer's latest conversation (open, or the last closed one) without internal notes; undefined when they never wrote. */
export async function customerConversation(db: DbOrTx, customerId: number) {
  const [conversation] = await db.select().from(supportConversations).where(eq(supportConversations.customerId, customerId)).orderBy(sql`${supportConversations.status} = 'closed'`, desc(supportConversations.id)).limit(1)
  if (!conversation) return undefined
  const messages = await db
    .select()
    .from(supportMessages)
    .where(and(eq(supportMessages.conversationId, conversation.id), inArray(supportMessages.kind, ['customer', 'operator', 'auto'])))
    .orderBy(asc(supportMessages.id))
  return { conversation, messages }
}

/** What the delivery worker needs: the message, and whose chat it goes to. */
export async function messageForDelivery(db: DbOrTx, messageId: number) {
  const [row] = await db
    .select({ message: supportMessages, customerId: supportConversations.customerId })
    .from(supportMessages)
    .innerJoin(supportConversations, eq(supportConversations.id, supportMessages.conversationId))
    .where(eq(supportMessages.id, messageId))
  return row
}

/** The message reached the customer's chat (or cannot: the customer blocked the bot). */
export async function recordDelivery(db: DbOrTx, messageId: number, outcome: 'sent' | 'blocked') {
  await db
    .update(supportMessages)
    .set({ delivery: outcome, deliveredAt: outcome === 'sent' ? sql`now()` : null, deliveryError: outcome === 'blocked' ? 'The customer blocked the bot' : null })
    .where(eq(supportMessages.id, messageId))
}

/** One failed attempt; after the last one the message is marked failed and the worker stops. Returns whether to retry. */
export async function recordDeliveryFailure(db: DbOrTx, messageId: number, error: unknown): Promise<boolean> {
  const [row] = await db
    .update(supportMessages)
    .set({ deliveryAttempts: sql`${supportMessages.deliveryAttempts} + 1`, deliveryError: String(error).slice(0, 500) })
    .where(eq(supportMessages.id, messageId))
    .returning({ attempts: supportMessages.deliveryAttempts })
  const retry = (row?.attempts ?? MAX_DELIVERY_ATTEMPTS) < MAX_DELIVERY_ATTEMPTS
  if (!retry) await db.update(supportMessages).set({ delivery: 'failed' }).where(eq(supportMessages.id, messageId))
  return retry
}

/** An operator sends a failed (or blocked) message again, e.g. after the customer unblocked the bot. */
export async function retryDelivery(ctx: ServiceContext, messageId: number) {
  staffOf(ctx)
  return write(ctx, async (w) => {
    const [message] = await w.db.select().from(supportMessages).where(eq(supportMessages.id, messageId)).for('update')
    if (!message || message.kind === 'customer' || message.kind === 'note') throw new DomainError('not_found', 'No such message to the customer')
    if (message.delivery !== 'failed' && message.delivery !== 'blocked') throw new DomainError('conflict', 'Only an undelivered message is sent again', 409)
    const [after] = await w.db.update(supportMessages).set({ delivery: 'pending', deliveryAttempts: 0, deliveryError: null }).where(eq(supportMessages.id, messageId)).returning()
    await w.enqueue(deliverSupportMessageJob, { messageId, conversationId: message.conversationId })
    await w.audit({ action: 'support.retry', entityType: 'support_message', entityId: messageId, before: { delivery: message.delivery } })
    return after!
  })
}
