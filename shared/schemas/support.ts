import { z } from 'zod'
import { idCursor, isTimeZone, rowId, rowIdParam, text } from './common'

/** A conversation is open (the business owes an answer), waiting (for the customer) or closed. */
export const CONVERSATION_STATUSES = ['open', 'waiting', 'closed'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]

/** Who wrote a message: the customer, an operator (to the customer), an internal note, or the bot's automatic answer. */
export const MESSAGE_KINDS = ['customer', 'operator', 'note', 'auto'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** How far a message to the customer got: queued, in their chat, or not deliverable (failed after retries, or the bot is blocked). */
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'blocked'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** Inbox folders: new (nobody took it), mine, waiting for the customer, closed, all open. */
export const INBOX_FOLDERS = ['new', 'mine', 'waiting', 'closed', 'open'] as const
export type InboxFolder = (typeof INBOX_FOLDERS)[number]

export const MESSAGE_TEXT_MAX = 4000

/** What a customer writes from the Mini App ("talk to a person"), with the article they tried and the order it is about. */
export const SupportMessageSchema = z.object({
  text: text().trim().min(1).max(MESSAGE_TEXT_MAX),
  articleSlug: text().trim().max(100).regex(/^[a-z0-9-]+$/).optional(),
  orderId: rowId().optional(),
})
export type SupportMessageInput = z.output<typeof SupportMessageSchema>

/** An operator's answer to the customer, or an internal note only staff see. */
export const OperatorMessageSchema = z.object({
  text: text().trim().min(1).max(MESSAGE_TEXT_MAX),
  note: z.boolean().default(false),
})

export const ConversationParamsSchema = z.object({ id: rowIdParam() })
export const SupportMessageParamsSchema = z.object({ id: rowIdParam() })
export const ArticleSlugParamsSchema = z.object({ slug: text().trim().min(1).max(100).regex(/^[a-z0-9-]+$/) })

export const AssignSchema = z.object({ assigneeId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable() })
export const ConversationStatusSchema = z.object({ status: z.enum(CONVERSATION_STATUSES) })

export const RatingSchema = z.object({
  rating: z.number().int().min(1).max(5),
  comment: text().trim().max(1000).optional(),
})

export const ArticleFeedbackSchema = z.object({ helpful: z.boolean() })

export const ArticlesQuerySchema = z.object({
  q: text().trim().max(100).optional(),
  category: text().trim().max(50).optional(),
})

export const InboxQuerySchema = z.object({
  folder: z.enum(INBOX_FOLDERS).default('open'),
  cursor: idCursor().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})
export type InboxQuery = z.output<typeof InboxQuerySchema>

const localized = (max: number) => z.object({ ru: text().trim().min(1).max(max), en: text().trim().min(1).max(max) })

/** An answer-base article as staff write it. */
export const ArticleInputSchema = z.object({
  slug: text().trim().min(1).max(100).regex(/^[a-z0-9-]+$/, 'Latin letters, digits and dashes'),
  category: text().trim().min(1).max(50),
  title: localized(200),
  body: localized(20_000),
  position: z.number().int().min(0).max(100_000).default(0),
  published: z.boolean().default(true),
})
export type ArticleInput = z.output<typeof ArticleInputSchema>
export const ArticlePatchSchema = ArticleInputSchema.partial()
export const ArticleIdParamsSchema = z.object({ id: rowIdParam() })

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)

/**
 * When operators answer: per weekday (0 = Sunday ... 6 = Saturday) a from-to window in the
 * business's time zone, or none (closed that day); the auto-reply outside them, in both languages.
 */
export const SupportHoursSchema = z.object({
  days: z.array(z.object({ from: time, to: time }).nullable()).length(7),
  autoReply: localized(1000),
  /** Typical first answer within open hours, in minutes: what the customer is told to expect. */
  expectedReplyMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /** The hours' time zone (IANA name); null: the business profile's. */
  timeZone: z.string().trim().max(64).refine(isTimeZone, 'an IANA time zone, e.g. Europe/Moscow').nullable().default(null),
  /** Whole days off (YYYY-MM-DD in that zone): closed whatever the weekday says. */
  holidays: z.array(z.string().refine(isDate, 'YYYY-MM-DD')).max(366).default([]),
})
export type SupportHours = z.output<typeof SupportHoursSchema>

/**
 * The optional operators' group in Telegram: a supergroup with topics where every conversation
 * gets its own topic (docs/support.md). Supergroup ids are negative, -100 followed by the id.
 */
export const OperatorGroupSchema = z.object({
  chatId: z.number().int().max(-1_000_000_000_000).min(-1_999_999_999_999).nullable(),
})
export type OperatorGroup = z.output<typeof OperatorGroupSchema>
