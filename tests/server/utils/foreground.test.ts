import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { DatabaseHandle } from '../../../server/db/client'
import { defineJob, jobWorker, JobQueue } from '../../../server/jobs/queue'
import { answeringRequests, requestArrived, stopWatchingForeground, watchForeground, whenRequestsCalm } from '../../../server/utils/foreground'
import { createLogger } from '../../../server/utils/logger'
import { createTestDatabase, engine } from '../../helpers/db'
import { eventually } from '../../helpers/eventually'

/**
 * Work that can wait (receipts) waits while the process is busy answering requests, and only then:
 * not for requests on an idle loop, not for its own busy loop, and never longer than its limit.
 */

/** `ms` of this thread kept busy in 20 ms slices, with `perSlice` requests counted in each (the server's entry counts them). */
async function load(ms: number, perSlice: number) {
  const until = performance.now() + ms
  while (performance.now() < until) {
    for (let i = 0; i < perSlice; i++) requestArrived()
    const slice = performance.now() + 20
    while (performance.now() < slice) {
      // the requests' own work
    }
    await nextTurn()
  }
}

afterEach(() => stopWatchingForeground())

describe('the foreground watch', () => {
  it('calls the process busy only while requests arrive and the loop is busy with them', async () => {
    expect(answeringRequests()).toBe(false)
    watchForeground()
    await load(600, 4)
    expect(answeringRequests()).toBe(true)
    await sleep(600)
    expect(answeringRequests()).toBe(false)
  })

  it('is not fooled by requests on an idle loop, nor by a busy loop without requests (the deferred work itself)', async () => {
    watchForeground()
    for (let i = 0; i < 12; i++) {
      for (let r = 0; r < 50; r++) requestArrived()
      await sleep(50)
    }
    expect(answeringRequests()).toBe(false)
    await load(600, 0)
    expect(answeringRequests()).toBe(false)
  })

  it('lets waiting work go when the requests calm down, and under a peak that lasts once the spell is as old as the limit, not again', async () => {
    watchForeground()
    const busy = load(1500, 4)
    await sleep(400)
    const waited = whenRequestsCalm({ maxWaitMs: 10_000 })
    await busy
    const ms = await waited
    expect(ms).toBeGreaterThan(500)
    expect(ms).toBeLessThan(3000)

    await sleep(600)
    const peak = load(3000, 4)
    await sleep(400)
    const capped = await whenRequestsCalm({ maxWaitMs: 1200 })
    // The spell began with the peak, ~400 ms before the wait did: the wait ends ~1.2 s after the spell began.
    expect(capped).toBeGreaterThan(300)
    expect(capped).toBeLessThan(1200)
    // The same spell goes on: the next batch is not held again.
    expect(answeringRequests()).toBe(true)
    expect(await whenRequestsCalm({ maxWaitMs: 1200 })).toBeLessThan(100)
    await peak
  })

  it('does not hold anything when nothing watches (nuxt dev, a process without deferrable workers)', async () => {
    const busy = load(600, 4)
    expect(await whenRequestsCalm()).toBeLessThan(100)
    await busy
  })
})

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
}, 120_000)
afterAll(async () => {
  await handle?.close()
})

describe(`a deferrable job on ${engine}`, () => {
  it('waits while requests keep the process busy, and runs once they calm down; other jobs do not wait', async () => {
    const logger = createLogger({ level: 'silent' })
    const ran: Record<string, number> = {}
    const receipts = defineJob({ name: 'test.deferrable', schema: z.object({ n: z.number() }), work: { deferrable: true } })
    const urgent = defineJob({ name: 'test.urgent', schema: z.object({ n: z.number() }) })
    const queue = new JobQueue(handle, logger)
    await queue.start()
    await queue.register([receipts, urgent])
    await queue.work(
      [jobWorker(receipts, async () => void (ran.deferrable = performance.now())), jobWorker(urgent, async () => void (ran.urgent = performance.now()))],
      {},
    )
    try {
      const peak = load(3000, 4)
      await sleep(500)
      const queuedAt = performance.now()
      await queue.enqueue(receipts, { n: 1 })
      await queue.enqueue(urgent, { n: 1 })
      await peak
      const calmAt = performance.now()
      await eventually(() => ran.deferrable !== undefined && ran.urgent !== undefined, 10_000)
      // The urgent job ran amid the peak (its worker got a turn between the slices); the receipt after it.
      expect(ran.urgent! - queuedAt).toBeLessThan(calmAt - queuedAt)
      expect(ran.deferrable!).toBeGreaterThanOrEqual(calmAt)
    } finally {
      await queue.stop(1000)
    }
  }, 60_000)
})
