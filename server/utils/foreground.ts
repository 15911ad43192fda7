import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Whether this process is busy answering requests, for queued work that can wait a few seconds
 * (a receipt: `work.deferrable` on a job).
 *
 * In a payment burst every payment sets off its receipt at once, and a receipt costs about as much
 * CPU as the rest of the payment's handling together (bench/README.md). Made then, receipts take
 * the cores the webhooks' answers need; made a few seconds later, nobody waits on them. So a
 * deferrable job waits while, over the last quarter second, requests kept arriving (at least
 * BUSY_REQUESTS, i.e. 100 a second) and the event loop was mostly busy (BUSY_LOOP_SHARE). A busy
 * spell holds such work back for MAX_DEFER_MS at most, counted from the spell's start: under a
 * peak that lasts, the work waits that long once and then runs alongside the requests (its backlog
 * is not held again batch after batch) until a calm quarter second ends the spell.
 *
 * Both conditions, because each alone misleads: requests alone count cheap answers (a page-cache
 * hit) on an idle loop; the loop's share alone counts the deferred work's own cost, which would
 * then defer itself. Requests are counted by the server's entry (server/entry.ts), the one place
 * every request passes; under `nuxt dev` nothing counts them and no job waits.
 */
const WINDOW_MS = 250
const BUSY_REQUESTS = 25
const BUSY_LOOP_SHARE = 0.5
/** How long a busy spell holds deferrable work back, from the spell's start. */
export const MAX_DEFER_MS = 15_000

let arrived = 0
/** Whether the last quarter second was busy (see above). */
let busy = false
let sampler: NodeJS.Timeout | undefined
let previous: EventLoopUtilization
/** When the current busy spell began (performance.now()); undefined while calm. */
let spellStart: number | undefined

/** Called by the server's entry for every request. */
export function requestArrived() {
  arrived++
}

function sample() {
  const now = performance.eventLoopUtilization()
  busy = arrived >= BUSY_REQUESTS && performance.eventLoopUtilization(now, previous).utilization >= BUSY_LOOP_SHARE
  previous = now
  arrived = 0
  spellStart = busy ? (spellStart ?? performance.now() - WINDOW_MS) : undefined
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
  busy = false
  spellStart = undefined
}

/** True while requests keep the process busy (see above); false when nothing watches. */
export function answeringRequests() {
  return busy
}

/**
 * Resolves once the process is not busy answering requests, or once the busy spell is `maxWaitMs`
 * old, or when `signal` aborts; with the ms it waited.
 */
export async function whenRequestsCalm({ maxWaitMs = MAX_DEFER_MS, signal }: { maxWaitMs?: number; signal?: AbortSignal } = {}) {
  const t0 = performance.now()
  while (answeringRequests() && performance.now() - (spellStart ?? t0) < maxWaitMs && !signal?.aborted) await sleep(WINDOW_MS)
  return performance.now() - t0
}
