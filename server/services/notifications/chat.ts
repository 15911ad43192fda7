import { TelegramError } from 'telegraf'
import type { Bot } from '../../bot'
import type { DbOrTx } from '../../db/client'
import { markBotBlocked } from '../auth/users'

/** What to do after a failed send: wait and retry (429), stop writing to this chat (403), or retry later. */
export type SendFailure = { kind: 'retry_after'; seconds: number } | { kind: 'blocked' } | { kind: 'error'; error: unknown }

export function classifySendError(error: unknown): SendFailure {
  if (error instanceof TelegramError) {
    if (error.code === 429) return { kind: 'retry_after', seconds: Math.max(1, Number(error.parameters?.retry_after ?? 5)) }
    if (error.code === 403) return { kind: 'blocked' }
  }
  return { kind: 'error', error }
}

/**
 * Telegram said "too many requests, retry after N seconds". Thrown out of a job, it makes the
 * queue plan the same job again N seconds later instead of spending one of its retries.
 */
export class RetryAfterError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Telegram asked to retry after ${retryAfterSeconds} s`)
    this.name = 'RetryAfterError'
  }
}

/**
 * Telegram's limits on bot messages: about 30 a second overall and one a second to the same chat
 * (a burst above either gets 429s and, kept up, a longer ban). Every send in this process takes a
 * slot here first: at most `perSecond` slots in any 1,000 ms (a sliding window, so never a burst
 * above it), and one per chat per `chatIntervalMs`. (Replicas each take their own share; a 429 is
 * still retried after `retry_after` through the queue.)
 */
export class SendLimiter {
  /** Grant times of the last `perSecond` slots, oldest first. */
  private readonly granted: number[] = []
  /** Earliest next slot per chat. */
  private readonly chatNext = new Map<number, number>()

  constructor(
    readonly perSecond: number,
    readonly chatIntervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Waits for a slot to write to `chatId`; resolves when the message may go. */
  async take(chatId: number): Promise<void> {
    for (;;) {
      const now = this.now()
      while (this.granted.length && now - this.granted[0]! >= 1000) this.granted.shift()
      const globalAt = this.granted.length < this.perSecond ? now : this.granted[0]! + 1000
      const at = Math.max(globalAt, this.chatNext.get(chatId) ?? 0)
      if (at <= now) {
        this.granted.push(now)
        this.chatNext.set(chatId, now + this.chatIntervalMs)
        if (this.chatNext.size > 10_000) for (const [id, next] of this.chatNext) if (next <= now) this.chatNext.delete(id)
        return
      }
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(at - now))))
    }
  }
}

/** 28 a second and 1.1 s per chat leave room under Telegram's limits for the time between a slot and the request reaching Telegram. */
export const chatSendLimiter = new SendLimiter(28, 1100)

/**
 * One send to a chat within the shared rate limit. A user who blocked the bot (403) is marked and
 * not written to again: the answer is 'blocked', not an error. A 429 throws RetryAfterError for the
 * queue; anything else throws for the queue's retries.
 */
async function sendWithinLimits(db: DbOrTx, chatId: number, send: () => Promise<unknown>): Promise<'sent' | 'blocked'> {
  await chatSendLimiter.take(chatId)
  try {
    await send()
    return 'sent'
  } catch (error) {
    const failure = classifySendError(error)
    if (failure.kind === 'blocked') {
      await markBotBlocked(db, chatId)
      return 'blocked'
    }
    if (failure.kind === 'retry_after') throw new RetryAfterError(failure.seconds)
    throw error
  }
}

/**
 * Sends one message to a chat, within the shared rate limit (403: 'blocked', 429: RetryAfterError,
 * as `sendWithinLimits`). Call it from jobs only, so every message the app sends is stored (as a
 * job) before it is attempted.
 */
export async function sendChatMessage(deps: { db: DbOrTx; bot: Pick<Bot, 'telegram'> }, chatId: number, text: string, extra?: Parameters<Bot['telegram']['sendMessage']>[2]): Promise<'sent' | 'blocked'> {
  return sendWithinLimits(deps.db, chatId, () => deps.bot.telegram.sendMessage(chatId, text, extra))
}

/**
 * Sends a file Telegram already has (its `file_id`: the same bot may send it to any chat) with an
 * optional caption, within the same limits and with the same answers as `sendChatMessage`. A photo
 * goes as a photo, anything else as a document. From jobs only.
 */
export async function sendChatFile(deps: { db: DbOrTx; bot: Pick<Bot, 'telegram'> }, chatId: number, file: { kind: 'photo' | 'document'; fileId: string }, caption?: string): Promise<'sent' | 'blocked'> {
  const extra = caption ? { caption } : undefined
  return sendWithinLimits(deps.db, chatId, () => (file.kind === 'photo' ? deps.bot.telegram.sendPhoto(chatId, file.fileId, extra) : deps.bot.telegram.sendDocument(chatId, file.fileId, extra)))
}
