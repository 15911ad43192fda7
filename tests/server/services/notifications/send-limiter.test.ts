import { afterEach, describe, expect, it, vi } from 'vitest'
import { SendLimiter } from '../../../../server/services/notifications/chat'

/**
 * Telegram's limits, checked on a simulated clock (fake timers: no real waiting, nothing timed):
 * the confirmations of a 200-order payment burst - two messages per customer - never go above the
 * global rate in any second nor above one a second to the same chat, counted where Telegram counts
 * them: when a request arrives, which may be well after its slot (a busy event loop, a queue in
 * the HTTP agent) and bunched with later ones.
 */
afterEach(() => {
  vi.useRealTimers()
})

const chats = Array.from({ length: 200 }, (_, i) => 1000 + i)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Most arrivals in any 1,000 ms, and the shortest gap between two arrivals in one chat. */
function pace(arrivals: { chat: number; at: number }[]) {
  const times = arrivals.map((s) => s.at).sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++
    most = Math.max(most, i - j + 1)
  }
  let chatGap = Infinity
  for (const chat of chats) {
    const at = arrivals.filter((s) => s.chat === chat).map((s) => s.at).sort((a, b) => a - b)
    for (let i = 1; i < at.length; i++) chatGap = Math.min(chatGap, at[i]! - at[i - 1]!)
  }
  return { most, chatGap, first: times[0]!, last: times.at(-1)! }
}

/** Each chat's two messages asked for at once, as a batch of jobs would; `request` is one send, resolving with its arrival time. */
async function burst(limiter: SendLimiter, request: (i: number) => Promise<number>) {
  const arrivals: { chat: number; at: number }[] = []
  const all = Promise.all([...chats, ...chats].map(async (chat, i) => {
    arrivals.push({ chat, at: await limiter.send(chat, () => request(i)) })
  }))
  await vi.runAllTimersAsync()
  await all
  return arrivals
}

describe('chat send limiter', () => {
  it('sends 400 messages to 200 chats within the limits, at the allowed pace', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    // Telegram answers in 40 ms; the request arrives at once.
    const arrivals = await burst(new SendLimiter(28), async () => {
      const at = performance.now()
      await sleep(40)
      return at
    })

    expect(arrivals).toHaveLength(400)
    const { most, chatGap, first, last } = pace(arrivals)
    expect(most).toBeLessThanOrEqual(28)
    expect(chatGap).toBeGreaterThanOrEqual(1000)
    // 400 at about 27 a second: the last leaves in the 16th second, not minutes later.
    expect(last - first).toBeLessThan(16_000)
  })

  it('stays within the limits when requests are held back and then leave together', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    // Every third second the process is busy: requests given a slot then leave only when it ends,
    // all at once; the others leave at once. Telegram answers 30 ms after a request arrives.
    const arrivals = await burst(new SendLimiter(28), async () => {
      const now = performance.now()
      const stalled = Math.floor(now / 1000) % 3 === 0
      const at = stalled ? (Math.floor(now / 1000) + 1) * 1000 - 1 : now
      await sleep(at - now + 30)
      return at
    })

    expect(arrivals).toHaveLength(400)
    const { most, chatGap } = pace(arrivals)
    expect(most).toBeLessThanOrEqual(28)
    expect(chatGap).toBeGreaterThanOrEqual(1000)
  })

  it('gives the slot back when nothing was sent, and a failed request still counts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const limiter = new SendLimiter(2)
    // A slot given back holds neither its chat nor one of the two slots.
    ;(await limiter.take(1))(false)
    const at = new Map<number, number>()
    const send = (chat: number, fails = false) => limiter.send(chat, async () => {
      at.set(chat, performance.now())
      if (fails) throw new Error('Telegram is down')
    }).catch(() => {})
    // Chat 1's request fails and chat 2's succeeds, both at once; each holds its slot for a second
    // after its answer, so chat 3 waits for that second although one of them failed.
    const all = Promise.all([send(1, true), send(2), send(3)])
    await vi.runAllTimersAsync()
    await all
    expect([at.get(1), at.get(2)]).toEqual([0, 0])
    expect(at.get(3)).toBeGreaterThanOrEqual(1000)
  })

  it('counts a request that never answers as answered after maxHoldMs, so hung connections do not stop every send', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const limiter = new SendLimiter(2, 1000, () => performance.now(), 30_000)
    const hung = () => new Promise<never>(() => {})
    void limiter.send(1, hung)
    void limiter.send(2, hung)
    let sentAt = -1
    const next = limiter.send(3, async () => {
      sentAt = performance.now()
    })
    await vi.advanceTimersByTimeAsync(60_000)
    await next
    // Both slots held until the hung requests count as answered (30 s), then a second more.
    expect(sentAt).toBeGreaterThanOrEqual(31_000)
    expect(sentAt).toBeLessThan(32_000)
  })
})
