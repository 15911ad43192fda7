import { TelegramError } from 'telegraf'

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
