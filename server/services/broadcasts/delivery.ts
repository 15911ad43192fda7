import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { TelegramError } from 'telegraf'
import type { Bot } from '../../bot'
import type { Database } from '../../db/client'
import { broadcastRecipients, broadcasts } from '../../db/schema/broadcasts'
import type { AppConfig } from '../../utils/config'
import type { Logger } from '../../utils/logger'
import { untilStored } from '../../utils/durable'
import type { Locale } from '#shared/locale'
import { markBotBlocked } from '../auth/users'
import { chatSendLimiter, classifySendError, type SendLimiter } from '../notifications/chat'
import { audienceSql } from './audience'
import { broadcastMessage, buttonTarget, clickToken, contentHash, writtenLocales, BROADCAST_TEXTS, type BroadcastContent } from './messages'

/** What sending needs: the database, the bot, the public URL for tracked links. */
export interface BroadcastDeps {
  db: Database
  bot: Pick<Bot, 'telegram'>
  config: Pick<AppConfig, 'publicUrl'>
  logger: Logger
  /** The process-wide send limiter (tests and the bench may pass their own). */
  limiter?: SendLimiter
  /** The bot's username, for t.me deep links to the Mini App; null when unknown (the Mini App URL is used). */
  botUsername?: string | null
}

/** How long one slice sends before it hands over to the next job (a shutdown waits at most about this). */
export const SLICE_MS = 10_000
/** A worker's hold on a broadcast; renewed as it sends, taken over after a crash. */
const LOCK_SECONDS = 60
/** A recipient whose send failed this many times for reasons other than Telegram refusing it is given up. */
const MAX_ATTEMPTS = 5

export type SliceOutcome = { next: 'done' } | { next: 'later'; at: Date }

/** Sends one message (photo with caption, or text) as Telegram HTML with the keyboard. */
async function sendOne(deps: BroadcastDeps, chatId: number, message: ReturnType<typeof broadcastMessage>) {
  const extra = { parse_mode: 'HTML' as const, reply_markup: message.replyMarkup }
  const sent = message.photoUrl
    ? await deps.bot.telegram.sendPhoto(chatId, message.photoUrl, { ...extra, caption: message.html })
    : await deps.bot.telegram.sendMessage(chatId, message.html, { ...extra, link_preview_options: { is_disabled: true } })
  return sent.message_id
}

const contentOf = (row: typeof broadcasts.$inferSelect): BroadcastContent => ({ text: row.text, photoUrl: row.photoUrl, button: row.button ?? null })

/**
 * The author's preview: each language the broadcast is written in, to their own chat, with the
 * button leading straight to its target. Records the previewed content's hash, which sending
 * requires to match. Telegram's 429 is thrown for the queue to retry after `retry_after`.
 */
export async function sendPreview(deps: BroadcastDeps, broadcastId: number, chatId: number): Promise<'sent' | 'blocked' | 'gone'> {
  const [row] = await deps.db.select().from(broadcasts).where(eq(broadcasts.id, broadcastId))
  if (!row || row.status !== 'draft') return 'gone'
  const content = contentOf(row)
  const limiter = deps.limiter ?? chatSendLimiter
  for (const locale of writtenLocales(content)) {
    const message = broadcastMessage(content, locale, { clickUrl: null, directUrl: content.button ? buttonTarget(content.button, deps.config.publicUrl, deps.botUsername ?? null) : null })
    try {
      await limiter.send(chatId, () => deps.bot.telegram.sendMessage(chatId, `${BROADCAST_TEXTS.previewHeader[locale]} (${locale})`))
      await limiter.send(chatId, () => sendOne(deps, chatId, message))
    } catch (error) {
      const failure = classifySendError(error)
      if (failure.kind === 'blocked') return 'blocked'
      if (failure.kind === 'retry_after') throw Object.assign(new Error('Telegram asked to wait'), { retryAfterSeconds: failure.seconds })
      throw error
    }
  }
  await deps.db.update(broadcasts).set({ previewHash: contentHash(content), previewSentAt: new Date() }).where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.status, 'draft')))
  return 'sent'
}

/** Fixes the audience: one recipient row per customer the segment finds now, in their language. */
async function start(db: Database, row: typeof broadcasts.$inferSelect) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into ${broadcastRecipients} (broadcast_id, user_id, locale)
      select ${row.id}, a.user_id, a.locale from (${audienceSql(row.segment)}) a
      on conflict do nothing`)
    const [{ total }] = (await tx.select({ total: sql<number>`count(*)::int` }).from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, row.id))) as [{ total: number }]
    await tx.update(broadcasts).set({ status: 'sending', startedAt: new Date(), total }).where(and(eq(broadcasts.id, row.id), eq(broadcasts.status, 'scheduled')))
  })
}

async function release(db: Database, broadcastId: number, extra: Partial<typeof broadcasts.$inferInsert> = {}) {
  await db.update(broadcasts).set({ lockedUntil: null, ...extra }).where(eq(broadcasts.id, broadcastId))
}

/**
 * Sends a broadcast for up to `maxMs` (or until `signal` says the process is stopping), within
 * Telegram's limits, and says when to come back. The guarantees come from the recipient rows:
 * - a recipient is claimed (`sending`, committed) before the call and settled after it, so a
 *   stopped or restarted worker continues with the next `pending` one: nobody is skipped, and
 *   nobody who was sent to is sent to again;
 * - only a crash between the claim and the answer leaves a `sending` row; Telegram offers no way
 *   to ask whether that message arrived, so it becomes `unknown` and is not sent again (at most one
 *   such recipient per crash, shown in the statistics);
 * - 429: the recipient goes back to `pending`, the whole broadcast pauses until `retry_after`
 *   has passed (stored, so a restart honours it too), and nothing is sent before;
 * - 403 (blocked): the customer is marked, and skipped by every later broadcast.
 */
export async function runBroadcastSlice(deps: BroadcastDeps, broadcastId: number, options: { maxMs?: number; signal?: AbortSignal } = {}): Promise<SliceOutcome> {
  const { db } = deps
  const limiter = deps.limiter ?? chatSendLimiter
  const deadline = Date.now() + (options.maxMs ?? SLICE_MS)
  const lock = () => sql`now() + make_interval(secs => ${LOCK_SECONDS})`
  const [row] = await db
    .update(broadcasts)
    .set({ lockedUntil: lock() })
    .where(and(eq(broadcasts.id, broadcastId), sql`${broadcasts.status} in ('scheduled', 'sending')`, or(isNull(broadcasts.lockedUntil), lt(broadcasts.lockedUntil, sql`now()`))))
    .returning()
  // Gone, finished, cancelled, or another worker holds it (and queues its own continuation).
  if (!row) return { next: 'done' }
  if (row.status === 'scheduled') {
    if (row.scheduledAt && row.scheduledAt.getTime() > Date.now()) {
      await release(db, broadcastId)
      return { next: 'later', at: row.scheduledAt }
    }
    await start(db, row)
  }
  if (row.pausedUntil && row.pausedUntil.getTime() > Date.now()) {
    await release(db, broadcastId)
    return { next: 'later', at: row.pausedUntil }
  }
  // We hold the lock: a `sending` row now is one a crashed worker claimed and never settled.
  await db
    .update(broadcastRecipients)
    .set({ state: 'unknown', error: 'interrupted while sending (the process stopped before Telegram answered)' })
    .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.state, 'sending')))

  const content = contentOf(row)
  const directUrl = content.button ? buttonTarget(content.button, deps.config.publicUrl, deps.botUsername ?? null) : null
  const clickBase = new URL('/api/broadcasts/click/', deps.config.publicUrl).toString()

  for (;;) {
    const batch = await db
      .select({ userId: broadcastRecipients.userId, locale: broadcastRecipients.locale })
      .from(broadcastRecipients)
      .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.state, 'pending')))
      .orderBy(asc(broadcastRecipients.userId))
      .limit(50)
    if (!batch.length) {
      await db
        .update(broadcasts)
        .set({ status: 'sent', finishedAt: new Date(), lockedUntil: null })
        .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.status, 'sending')))
      return { next: 'done' }
    }
    // Still ours and still wanted (an operator may have cancelled it meanwhile)?
    const [current] = await db
      .update(broadcasts)
      .set({ lockedUntil: lock() })
      .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.status, 'sending')))
      .returning({ id: broadcasts.id })
    if (!current) {
      await release(db, broadcastId)
      return { next: 'done' }
    }
    for (const recipient of batch) {
      if (Date.now() >= deadline || options.signal?.aborted) {
        await release(db, broadcastId)
        return { next: 'later', at: new Date() }
      }
      const answered = await limiter.take(recipient.userId)
      const claimed = await db
        .update(broadcastRecipients)
        .set({ state: 'sending', claimedAt: new Date(), attempts: sql`${broadcastRecipients.attempts} + 1` })
        .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.userId, recipient.userId), eq(broadcastRecipients.state, 'pending')))
        .returning({ attempts: broadcastRecipients.attempts })
        .catch((error: unknown) => {
          answered(false)
          throw error
        })
      if (!claimed.length) {
        answered(false)
        continue
      }
      const message = broadcastMessage(content, recipient.locale as Locale, {
        clickUrl: content.button ? clickBase + clickToken(row.clickSecret, broadcastId, recipient.userId) : null,
        directUrl,
      })
      const settle = (values: Parameters<ReturnType<typeof db.update<typeof broadcastRecipients>>['set']>[0]) =>
        db.update(broadcastRecipients).set(values).where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.userId, recipient.userId)))
      try {
        const messageId = await sendOne(deps, recipient.userId, message).finally(() => answered())
        // Sent: recorded as such once the database answers (else it would read `unknown` after an outage).
        await untilStored(() => settle({ state: 'sent', messageId, sentAt: new Date(), error: null }))
      } catch (error) {
        const failure = classifySendError(error)
        if (failure.kind === 'blocked') {
          await settle({ state: 'blocked', error: error instanceof TelegramError ? error.description : 'blocked' })
          await markBotBlocked(db, recipient.userId)
        } else if (failure.kind === 'retry_after') {
          // Not sent: back in line, and nobody is written to until Telegram's wait is over.
          const until = new Date(Date.now() + failure.seconds * 1000)
          await settle({ state: 'pending', attempts: sql`${broadcastRecipients.attempts} - 1` })
          await release(db, broadcastId, { pausedUntil: until })
          deps.logger.info('broadcast paused: Telegram asked to wait', { broadcastId, seconds: failure.seconds })
          return { next: 'later', at: until }
        } else if (error instanceof TelegramError && error.code >= 400 && error.code < 500) {
          // Telegram refused this message for this chat (chat not found, deactivated): retrying will not help.
          await settle({ state: 'failed', error: error.description.slice(0, 500) })
        } else {
          const attempts = claimed[0]!.attempts
          const reason = error instanceof Error ? error.message.slice(0, 500) : 'send failed'
          await settle(attempts >= MAX_ATTEMPTS ? { state: 'failed', error: reason } : { state: 'pending', error: reason })
          if (attempts < MAX_ATTEMPTS) {
            deps.logger.warn('broadcast send failed; trying again shortly', { broadcastId, error })
            await release(db, broadcastId)
            return { next: 'later', at: new Date(Date.now() + 5000) }
          }
        }
      }
    }
  }
}
