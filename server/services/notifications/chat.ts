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
 * (a burst above either gets 429s and, kept up, a longer ban). Every send in this process goes
 * through `send` here. What Telegram counts is when a request *arrives*, which is somewhere
 * between our slot and its answer: a busy event loop, the HTTP agent's queue or a slow network
 * can hold a request back and then let several go together. So a message occupies its slot from
 * the grant until its answer came back, and then for 1,000 ms more; a new slot is granted only
 * while fewer than `perSecond` messages are in flight or answered within the last 1,000 ms. Any
 * 1,000 ms of arrivals then holds at most `perSecond` messages, however the requests were delayed
 * (the last one granted among them found all the others in flight or answered after the window
 * began). Likewise a chat's next message is granted 1,000 ms (`chatIntervalMs`) after the previous
 * one's answer. A request still unanswered after `maxHoldMs` is counted as answered then, so a
 * few hung connections cannot stop every send (Telegraf itself gives up on a request only after
 * 500 s). (Replicas each take their own share; a 429 is still retried after `retry_after` through
 * the queue.)
 */
export class SendLimiter {
  /** Slots granted and not yet answered. */
  private inFlight = 0
  /** Answer times of the recent slots, oldest first (those older than 1,000 ms are dropped). */
  private readonly answered: number[] = []
  /** Earliest next slot per chat; Infinity while a message to it is in flight. */
  private readonly chatNext = new Map<number, number>()
  /** Callers waiting for an answer (a slot or a chat held by a message in flight). */
  private waiting: (() => void)[] = []

  constructor(
    readonly perSecond: number,
    readonly chatIntervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
    readonly maxHoldMs = 30_000,
  ) {}

  /** Waits for a slot to write to `chatId`, runs `request` in it, and counts it until it answered (or failed). */
  async send<T>(chatId: number, request: () => Promise<T>): Promise<T> {
    const answered = await this.take(chatId)
    try {
      return await request()
    } finally {
      answered()
    }
  }

  /**
   * Waits for a slot to write to `chatId`. Call the function it resolves to when the request has
   * its answer; with `false` if nothing was sent after all (the slot is given back).
   */
  async take(chatId: number): Promise<(sent?: boolean) => void> {
    for (;;) {
      const now = this.now()
      while (this.answered.length && now - this.answered[0]! >= 1000) this.answered.shift()
      const globalAt = this.inFlight + this.answered.length < this.perSecond ? now : this.answered.length ? this.answered[0]! + 1000 : Infinity
      const previous = this.chatNext.get(chatId)
      const at = Math.max(globalAt, previous ?? 0)
      if (at <= now) {
        this.inFlight++
        this.chatNext.set(chatId, Infinity)
        let settled = false
        const release = (sent = true) => {
          if (settled) return
          settled = true
          clearTimeout(hung)
          this.inFlight--
          const answeredAt = this.now()
          if (sent) {
            this.answered.push(answeredAt)
            this.chatNext.set(chatId, answeredAt + this.chatIntervalMs)
          } else if (previous === undefined) this.chatNext.delete(chatId)
          else this.chatNext.set(chatId, previous)
          if (this.chatNext.size > 10_000) for (const [id, next] of this.chatNext) if (next <= answeredAt) this.chatNext.delete(id)
          const waiting = this.waiting
          this.waiting = []
          for (const wake of waiting) wake()
        }
        const hung = setTimeout(release, this.maxHoldMs)
        hung.unref?.()
        return release
      }
      await new Promise<void>((resolve) => {
        if (at === Infinity) this.waiting.push(resolve)
        else setTimeout(resolve, Math.max(1, Math.ceil(at - now)))
      })
    }
  }
}

/** 28 a second leaves room under Telegram's ~30 for the bot's direct replies to what a customer wrote (they do not come through here). */
export const chatSendLimiter = new SendLimiter(28)

/**
 * One send to a chat within the shared rate limit. A user who blocked the bot (403) is marked and
 * not written to again: the answer is 'blocked', not an error. A 429 throws RetryAfterError for the
 * queue; anything else throws for the queue's retries.
 */
async function sendWithinLimits(db: DbOrTx, chatId: number, send: () => Promise<unknown>): Promise<'sent' | 'blocked'> {
  try {
    await chatSendLimiter.send(chatId, send)
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
