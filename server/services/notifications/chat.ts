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
 * A token bucket shared by every send in this process: Telegram allows ~30 messages per second
 * overall. (Across replicas each takes its own share; the per-chat 429s are retried after
 * `retry_after` through the queue.)
 */
export class TokenBucket {
  private tokens: number
  private last = Date.now()
  constructor(
    private readonly perSecond: number,
    private readonly burst = perSecond,
  ) {
    this.tokens = burst
  }

  async take() {
    for (;;) {
      const now = Date.now()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)))
    }
  }
}

export const chatSendBucket = new TokenBucket(25, 25)

/**
 * Sends one message to a chat, within the shared rate limit. A user who blocked the bot (403) is
 * marked and not written to again: the answer is 'blocked', not an error. A 429 throws
 * RetryAfterError for the queue; anything else throws for the queue's retries. Call it from jobs
 * only, so every message the app sends is stored (as a job) before it is attempted.
 */
export async function sendChatMessage(deps: { db: DbOrTx; bot: Pick<Bot, 'telegram'> }, chatId: number, text: string, extra?: Parameters<Bot['telegram']['sendMessage']>[2]): Promise<'sent' | 'blocked'> {
  await chatSendBucket.take()
  try {
    await deps.bot.telegram.sendMessage(chatId, text, extra)
    return 'sent'
  } catch (error) {
    const failure = classifySendError(error)
    if (failure.kind === 'blocked') {
      await markBotBlocked(deps.db, chatId)
      return 'blocked'
    }
    if (failure.kind === 'retry_after') throw new RetryAfterError(failure.seconds)
    throw error
  }
}
