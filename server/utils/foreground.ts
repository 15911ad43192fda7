import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Whether this process is busy answering requests, for queued work that can wait a few seconds
 * (a receipt's PDF and its "new document" message: `work.deferrable` on a job).
 *
 * In a payment burst every payment sets off its receipt at once, and a receipt costs about as much
 * CPU as the rest of the payment's handling together (bench/README.md). Made then, receipts take
 * the cores the webhooks' answers need; made a few seconds later, nobody waits on them. So a
 * deferrable job waits while, over the last quarter second, requests kept arriving (at least
 * BUSY_REQUESTS, i.e. 100 a second) and the event loop was mostly busy (BUSY_LOOP_SHARE); it waits
 * MAX_DEFER_MS at most, so a sustained peak slows such work down but never stops it.
 *
 * Both conditions, because each alone misleads: requests alone count cheap answers (a page-cache
 * hit) on an idle loop; the loop's share alone counts the deferred work's own cost, which would
 * then defer itself. Requests are counted by the server's entry (server/entry.ts), the one place
 * every request passes; under `nuxt dev` nothing counts them and no job waits.
 */
const WINDOW_MS = 250
const BUSY_REQUESTS = 25
const BUSY_LOOP_SHARE = 0.5
/** The longest one batch of deferrable jobs waits for the requests to calm down. */
export const MAX_DEFER_MS = 15_000

let arrived = 0
let last: { requests: number; loopShare: number } = { requests: 0, loopShare: 0 }
let sampler: NodeJS.Timeout | undefined
let previous: EventLoopUtilization | undefined

/** Called by the server's entry for every request. */
export function requestArrived() {
  arrived++
}

function sample() {
  const now = performance.eventLoopUtilization()
  last = { requests: arrived, loopShare: previous ? performance.eventLoopUtilization(now, previous).utilization : 0 }
  previous = now
  arrived = 0
}

/** Starts watching (a timer every quarter second, not keeping the process alive); called once a deferrable worker starts. */
export function watchForeground() {
  if (sampler) return
  previous = performance.eventLoopUtilization()
  arrived = 0
  sampler = setInterval(sample, WINDOW_MS).unref()
}

/** Stops watching (the workers stopped); what was counted is forgotten. */
export function stopWatchingForeground() {
  if (sampler) clearInterval(sampler)
  sampler = undefined
  last = { requests: 0, loopShare: 0 }
}

/** True while requests keep the process busy (see above); false when nothing watches. */
export function answeringRequests() {
  return sampler !== undefined && last.requests >= BUSY_REQUESTS && last.loopShare >= BUSY_LOOP_SHARE
}

/** Resolves once the process is not busy answering requests, after `maxWaitMs` at most, or when `signal` aborts; with the ms it waited. */
export async function whenRequestsCalm({ maxWaitMs = MAX_DEFER_MS, signal }: { maxWaitMs?: number; signal?: AbortSignal } = {}) {
  const t0 = performance.now()
  while (answeringRequests() && performance.now() - t0 < maxWaitMs && !signal?.aborted) await sleep(WINDOW_MS)
  return performance.now() - t0
}
