import { afterEach, describe, expect, it, vi } from 'vitest'
import { SendLimiter } from '../../../../server/services/notifications/chat'

/**
 * Telegram's limits, checked on a simulated clock (fake timers: no real waiting, nothing timed):
 * the confirmations of a 200-order payment burst - two messages per customer - never go above the
 * global rate in any second nor above one a second to the same chat.
 */
afterEach(() => {
  vi.useRealTimers()
})

describe('chat send limiter', () => {
  it('sends 400 messages to 200 chats within the limits, at the allowed pace', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    const limiter = new SendLimiter(28)
    const sends: { chat: number; at: number }[] = []
    const chats = Array.from({ length: 200 }, (_, i) => 1000 + i)
    // Each chat's two messages are asked for at once, as a batch of jobs would.
    const all = Promise.all([...chats, ...chats].map(async (chat) => {
      await limiter.take(chat)
      sends.push({ chat, at: performance.now() })
    }))
    await vi.runAllTimersAsync()
    await all

    expect(sends).toHaveLength(400)
    const times = sends.map((s) => s.at).sort((a, b) => a - b)
    for (let i = 28; i < times.length; i++) expect(times[i]! - times[i - 28]!).toBeGreaterThanOrEqual(1000)
    for (const chat of chats) {
      const [first, second] = sends.filter((s) => s.chat === chat).map((s) => s.at)
      expect(second! - first!).toBeGreaterThanOrEqual(1000)
    }
    // 400 at 28 a second: the last leaves in the 15th second, not minutes later.
    expect(times.at(-1)! - times[0]!).toBeLessThan(15_000)
  })
})
