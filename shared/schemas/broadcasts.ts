import { z } from 'zod'
import { rowId, rowIdParam, text } from './common'
import { LOCALES } from '../locale'
import { TELEGRAM_CAPTION_MAX, TELEGRAM_TEXT_MAX, isSafeLink, normalizeTelegramHtml } from '../telegram-html'

/**
 * draft -> (preview sent) -> scheduled -> sending -> sent; a draft or a scheduled one may be
 * cancelled. Sending resumes by itself after a restart or a pause Telegram asked for.
 */
export const BROADCAST_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number]

/** One recipient's message: waiting, being sent (claimed), delivered, refused by Telegram, the user blocked the bot, or unknown after a crash mid-call. */
export const RECIPIENT_STATES = ['pending', 'sending', 'sent', 'failed', 'blocked', 'unknown'] as const
export type RecipientState = (typeof RECIPIENT_STATES)[number]

const localized = (max: number) =>
  z
    .object({ ru: text().trim().max(max).optional(), en: text().trim().max(max).optional() })
    .transform((v) => ({ ...(v.ru ? { ru: v.ru } : {}), ...(v.en ? { en: v.en } : {}) }))
    .refine((v) => Boolean(v.ru || v.en), 'write the text in Russian, English or both')

/** Start parameter of a Mini App deep link (t.me/<bot>?startapp=<it>): Telegram allows these characters. */
const startParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (up to 64)')

export const BroadcastButtonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), text: localized(64), url: text().trim().max(1000).refine(isSafeLink, 'must be an https:// or t.me link') }),
  /** Opens the Mini App at a deep link (`product-<slug>`, `catalog`…). */
  z.object({ kind: z.literal('miniapp'), text: localized(64), startParam: startParam.optional() }),
])
export type BroadcastButton = z.output<typeof BroadcastButtonSchema>

/**
 * Who gets it. Always only customers who opted in to news and have not blocked the bot. Bought
 * (a product or anything in a category, subcategories included) and booked (a service) widen to
 * "any of these"; language and last seen narrow. Empty lists mean "no condition".
 */
export const BroadcastSegmentSchema = z.object({
  productIds: z.array(rowId()).max(50).default([]),
  categoryIds: z.array(rowId()).max(50).default([]),
  serviceIds: z.array(rowId()).max(50).default([]),
  locales: z.array(z.enum(LOCALES)).max(2).default([]),
  lastSeenDays: z.number().int().min(1).max(3650).nullable().default(null),
})
export type BroadcastSegment = z.output<typeof BroadcastSegmentSchema>

const broadcastFields = {
  /** The operators' own name for it (not sent). */
  title: text().trim().min(1).max(120),
  text: localized(8000),
  /** A picture Telegram fetches by URL (https), sent with the text as its caption. */
  photoUrl: text().trim().max(1000).refine((v) => /^https:\/\/[^\s<>"]+$/i.test(v), 'must be an https:// link to an image').nullable().default(null),
  button: BroadcastButtonSchema.nullable().default(null),
  segment: BroadcastSegmentSchema.default({ productIds: [], categoryIds: [], serviceIds: [], locales: [], lastSeenDays: null }),
}

/** Text checks Telegram would otherwise fail every message with: tags, escaping, length (caption shorter with a photo). */
function checkTexts(value: { text: { ru?: string; en?: string }; photoUrl: string | null }, ctx: z.RefinementCtx) {
  const max = value.photoUrl ? TELEGRAM_CAPTION_MAX : TELEGRAM_TEXT_MAX
  for (const locale of LOCALES) {
    const raw = value.text[locale]
    if (!raw) continue
    const result = normalizeTelegramHtml(raw)
    if (!result.ok) ctx.addIssue({ code: 'custom', path: ['text', locale], message: result.reason })
    else if (result.length > max) ctx.addIssue({ code: 'custom', path: ['text', locale], message: `longer than Telegram allows (${result.length} of ${max}${value.photoUrl ? ' with a photo' : ''})` })
  }
}

export const BroadcastInputSchema = z.object(broadcastFields).superRefine(checkTexts)
export type BroadcastInput = z.output<typeof BroadcastInputSchema>

export const BroadcastParamsSchema = z.object({ id: rowIdParam() })

/** "Send now" or "at this time" (at most a year ahead; a time in the past means now). */
export const BroadcastScheduleSchema = z.object({
  at: z.iso.datetime({ offset: true }).nullable().default(null).refine((v) => v === null || (new Date(v).getTime() < Date.now() + 366 * 24 * 3600_000 && new Date(v).getFullYear() >= 1970), 'at most a year ahead'),
})

export const BroadcastListQuerySchema = z.object({ before: rowIdParam().optional() })

/** A tracked button link: `<broadcast>-<user>-<signature>`. */
export const BroadcastClickParamsSchema = z.object({ token: z.string().regex(/^\d{1,10}-\d{1,16}-[A-Za-z0-9_-]{22}$/, 'not a broadcast link') })
