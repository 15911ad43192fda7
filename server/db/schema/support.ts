import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, tsvector, type LocalizedText } from './_columns'
import { users } from './auth'
import { orders } from './orders'
import type { ConversationStatus, DeliveryStatus, MessageKind } from '../../../shared/schemas/support'

/** A file the customer sent in Telegram: kept as Telegram's reference (`file_id`), never re-hosted or rendered. */
export interface SupportAttachment {
  kind: 'photo' | 'document' | 'video' | 'voice' | 'audio' | 'sticker' | 'animation' | 'video_note'
  fileId: string
  fileUniqueId?: string
  fileName?: string
  mimeType?: string
  size?: number
}

/** The answer base: short articles in both languages, grouped by category, searched like the catalog. */
export const supportArticles = pgTable(
  'support_articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    category: text('category').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    body: jsonb('body').$type<LocalizedText>().notNull(),
    position: integer('position').notNull().default(0),
    published: boolean('published').notNull().default(true),
    /** "Did this help?" answers, counted. */
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('russian', coalesce(title->>'ru', '')), 'A') || setweight(to_tsvector('english', coalesce(title->>'en', '')), 'A') || setweight(to_tsvector('russian', coalesce(body->>'ru', '')), 'C') || setweight(to_tsvector('english', coalesce(body->>'en', '')), 'C')`,
    ),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('support_articles_slug_idx').on(t.slug),
    index('support_articles_search_idx').using('gin', t.search),
    index('support_articles_title_trgm_idx').using('gin', sql`(lower((${t.title}->>'ru') || ' ' || (${t.title}->>'en'))) gin_trgm_ops`),
  ],
)

/**
 * One thread between a customer and the business. A customer has at most one conversation that
 * is not closed (a partial unique index), so concurrent first messages land in the same one.
 */
export const supportConversations = pgTable(
  'support_conversations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'restrict' }),
    status: text('status').$type<ConversationStatus>().notNull().default('open'),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    /** What it is about, when the customer came from an article or an order. */
    articleSlug: text('article_slug'),
    orderId: integer('order_id').references(() => orders.id, { onDelete: 'set null' }),
    /** Customer messages no operator has read yet, and operator messages the customer has not seen in the app. */
    unreadForStaff: integer('unread_for_staff').notNull().default(0),
    unreadForCustomer: integer('unread_for_customer').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastMessagePreview: text('last_message_preview'),
    /** SLA: when the first operator answer went out, and when it was closed. */
    firstResponseAt: timestamp('first_response_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    /** The forum topic of this conversation in the operators' Telegram group (docs/support.md), once created. */
    topicChatId: bigint('topic_chat_id', { mode: 'number' }),
    topicThreadId: integer('topic_thread_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('support_conversations_topic_idx').on(t.topicChatId, t.topicThreadId),
    uniqueIndex('support_conversations_one_open_idx').on(t.customerId).where(sql`${t.status} <> 'closed'`),
    index('support_conversations_customer_idx').on(t.customerId, t.id),
    index('support_conversations_inbox_idx').on(t.status, t.lastMessageAt),
    index('support_conversations_assignee_idx').on(t.assigneeId, t.status),
    check('support_conversations_status_check', sql`${t.status} in ('open', 'waiting', 'closed')`),
    check('support_conversations_rating_check', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
  ],
)

/**
 * Every message of a conversation, stored before anything is relayed. `source_key` makes intake
 * idempotent: `tg:<chat>:<message_id>` for a Telegram message (a redelivered update finds it),
 * `app:<user>:<Idempotency-Key>` for the Mini App. Messages to the customer carry their delivery state.
 */
export const supportMessages = pgTable(
  'support_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => supportConversations.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<MessageKind>().notNull(),
    authorId: bigint('author_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    text: text('text'),
    attachment: jsonb('attachment').$type<SupportAttachment>(),
    sourceKey: text('source_key'),
    delivery: text('delivery').$type<DeliveryStatus>(),
    deliveryError: text('delivery_error'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    /** The copy of this message in the conversation's forum topic (operators' group), once relayed. */
    topicMessageId: integer('topic_message_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('support_messages_source_idx').on(t.sourceKey),
    index('support_messages_conversation_idx').on(t.conversationId, t.id),
    check('support_messages_kind_check', sql`${t.kind} in ('customer', 'operator', 'note', 'auto')`),
    check('support_messages_content_check', sql`${t.text} is not null or ${t.attachment} is not null`),
  ],
)
