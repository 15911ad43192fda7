import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { H3Event } from 'h3'
import { databaseLooksDown } from './database-breaker'
import { prepareRecord, requestIdOf } from './access-log'
import { useBootstrap, type Bootstrap } from './runtime'

/**
 * Hot answers: the catalog's public reads answered without h3.
 *
 * A post in a channel sends hundreds of customers to the same catalog page and the same searches at
 * once. The answer's bytes are already kept per catalog snapshot (server/services/catalog/products.ts);
 * what a request still cost was h3 and Nitro around them: an event, the router, three rounds of
 * hooks, the middleware, a deferred `end` - ~3x what writing the bytes costs, and under a flood one
 * turn of the event loop is 500 such requests, which is what a health check waits behind.
 *
 * A route whose answer depends on its URL alone (no headers, no cookies, no user; today the product
 * list, a product, the categories, the facets, and the liveness check `/api/health`) calls
 * `keepHotAnswer(event, body, isCurrent)`. When that answer has gone out with status 200, its
 * headers (everything h3, the route and the plugins set, less the request's own id) are kept with
 * the body under the request's URL. The server's entry (server/entry.ts) asks `answerHot` first:
 * a GET without a body for a kept URL whose `isCurrent()` still holds (the catalog snapshot it was
 * made from is still the current one: a NOTIFY or the TTL ends it) is answered with the same bytes
 * and headers, a request id of its own, and the same access-log line and metrics as any request (prepared once per
 * kept URL: `prepareRecord`).
 * Anything else - another method, a body, a stale or unknown URL, the database breaker open - goes
 * through h3 as usual, and a fresh 200 is kept again.
 *
 * What a hot answer skips: Nitro's `request` / `beforeResponse` / `afterResponse` hooks and the
 * middleware. Their output (headers) is replayed from the kept answer; tests/e2e/server.test.ts
 * compares a hot answer with the one h3 gave, header by header. A plugin that must *do* something
 * on every request (count it, refuse it) has to be added to `answerHot` as well.
 */

interface HotAnswer {
  /** name, value, name, value...: the kept headers with their content length, as `writeHead` takes them. */
  head: string[]
  body: Buffer
  isCurrent: () => boolean
  /** The access-log line and the duration metric, prepared for this URL (its path, its route's pattern). */
  record: (requestId: string, seconds: number, ua: string | undefined) => void
  /** A probe (`/api/health`): written where it is read, ahead of the turn's other hot answers. */
  probe: boolean
}

/** Distinct URLs kept, and their bodies' bytes at most (the oldest go first): a flood of made-up searches cannot grow it. */
const KEPT = 2_000
const KEPT_BYTES = 16 * 1024 * 1024
/** Longer URLs are not kept: no real catalog link is this long, a crafted one should not fill memory. */
const MAX_URL = 512
/** Never replayed: the request's own id, and what Node writes itself. */
const OWN_HEADERS = new Set(['x-request-id', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'])

const answers = new Map<string, HotAnswer>()
let keptBytes = 0
let serving = false

function forget(url: string) {
  const answer = answers.get(url)
  if (!answer) return
  answers.delete(url)
  keptBytes -= answer.body.length
}

/** The production entry turns hot answers on; elsewhere (nuxt dev, tests of handlers) nothing is kept. */
export function serveHotAnswers() {
  serving = true
}

/**
 * The answer being sent for this GET depends on the URL alone and stays right while `isCurrent()`:
 * once it has gone out as a 200, keep it to answer the same URL without h3.
 */
export function keepHotAnswer(event: H3Event, body: Buffer, isCurrent: () => boolean, probe = false) {
  const req = event.node.req
  const url = req.url
  if (!serving || req.method !== 'GET' || !url || url.length > MAX_URL || '__unenv__' in req || answers.has(url)) return
  const res = event.node.res
  res.once('finish', () => {
    // A cookie is someone's: an answer that set one is never given to anyone else.
    if (res.statusCode !== 200 || res.hasHeader('set-cookie') || !isCurrent()) return
    const head: string[] = []
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (OWN_HEADERS.has(name) || value === undefined) continue
      for (const one of Array.isArray(value) ? value : [value]) head.push(name, String(one))
    }
    head.push('content-length', String(body.length))
    const path = url.split('?')[0]!
    const route = (event.context.matchedRoute?.path as string | undefined) ?? path
    const app = useBootstrap()
    if (answers.has(url) || !app) return
    while (answers.size && (answers.size >= KEPT || keptBytes + body.length > KEPT_BYTES)) forget(answers.keys().next().value!)
    answers.set(url, { head, body, isCurrent, record: prepareRecord(app, { method: 'GET', path, route, status: 200 }), probe })
    keptBytes += body.length
  })
}

/**
 * A route's JSON answer as bytes (the value is serialized here unless it already is), kept as a hot
 * answer when `isCurrent` is given; returned for h3 to send. `probe`: see `answerHot`.
 */
export function sendJson<T>(event: H3Event, value: T | Buffer, isCurrent: (() => boolean) | undefined, options?: { probe: true }): T {
  const body = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))
  event.node.res.setHeader('content-type', 'application/json')
  if (isCurrent) keepHotAnswer(event, body, isCurrent, options?.probe)
  return body as unknown as T
}

/** A hot answer read in this turn of the event loop and not written yet. */
interface Waiting {
  app: Bootstrap
  req: IncomingMessage
  res: ServerResponse
  kept: HotAnswer
  /** `performance.now()` when it was read: its duration counts the wait. */
  started: number
}
let waiting: Waiting[] = []

/**
 * Answers the request from a kept answer if it may; false: h3 answers it.
 *
 * A probe's answer is written at once. The others are written together once the turn has read
 * every request that was ready (a `setImmediate`: the loop's check phase, still this turn). Under a
 * flood a turn reads hundreds of requests; writing each answer is most of what it costs (a system
 * call per socket), so a health check read in the middle of the turn waited behind the writes of
 * everything read before it, and the orchestrator's probe read a busy server as a dead one. Now it
 * waits only behind their parsing. The other answers go out in the same turn, in the order read.
 */
export function answerHot(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' || !req.url) return false
  const kept = answers.get(req.url)
  if (!kept) return false
  if (!kept.isCurrent()) {
    forget(req.url)
    return false
  }
  const app = useBootstrap()
  if (!app || databaseLooksDown() || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) return false
  const answer = { app, req, res, kept, started: performance.now() }
  if (kept.probe) {
    write(answer)
    return true
  }
  if (!waiting.length) setImmediate(writeWaiting)
  waiting.push(answer)
  return true
}

function writeWaiting() {
  const batch = waiting
  waiting = []
  for (const answer of batch) {
    try {
      write(answer)
    } catch (error) {
      // One answer that cannot be written must not leave the rest of the turn's unanswered.
      answer.app.logger.error('hot answer not written', { error })
      answer.res.destroy()
    }
  }
}

function write({ app, req, res, kept, started }: Waiting) {
  const requestId = requestIdOf(req.headers['x-request-id']) ?? randomUUID()
  res.writeHead(200, [...kept.head, 'x-request-id', requestId])
  res.end(kept.body)
  app.metrics.hotAnswers.inc()
  kept.record(requestId, (performance.now() - started) / 1000, req.headers['user-agent'])
}
