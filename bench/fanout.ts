/**
 * `fanout`, in process on the database engines: domain events emitted at 500/s for
 * BENCH_FANOUT_SECONDS (default 5), each on its own order, to 3 outbound webhooks (local
 * node:http receivers in this process that count what they accept by event id). The app's own
 * path: `emitIntegrationEvent` in a write (the outbox rows and their pg-boss jobs), delivered by
 * the real `integrations.deliver` workers (pg-boss, `localConcurrency` as deployed), each POST
 * signed. Delivery lag = receiver's clock at acceptance - the event's `createdAt`. Afterwards:
 * none lost (every event at every receiver), none doubled (no id accepted twice).
 * Baseline in the same run: the same events posted straight to the 3 receivers at the same rate
 * by this process (no outbox, no queue, no retries) - the floor any durable path adds to.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { openPglite, openPostgres } from '../server/db/client'
import type { JobDeps } from '../server/composition-root'
import { integrationWorkers } from '../server/jobs/integrations'
import { write } from '../server/services/context'
import { emitIntegrationEvent } from '../server/services/integrations/outbox'
import { createWebhookEndpoint, signWebhook } from '../server/services/integrations/webhooks'
import { createTestServices } from '../tests/helpers/context'
import { benchEngines, createPgDatabase, removeDir, sleep } from './lib'
import { fmt, limits, table, writeResult, type Limit, type Row } from './report'

const RATE = 500
const SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 5)
const RECEIVERS = 3
const DRAIN_LIMIT_MS = 180_000

const pct = (values: number[], p: number) => {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** A receiver: 200 for every POST, counting ids and the lag from the event's createdAt. */
async function startReceiver() {
  const counts = new Map<string, number>()
  const lags: number[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      const event = JSON.parse(body) as { id: string; createdAt: string }
      counts.set(event.id, (counts.get(event.id) ?? 0) + 1)
      lags.push(Date.now() - Date.parse(event.createdAt))
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  server.keepAliveTimeout = 5000
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    counts,
    lags,
    reset: () => (counts.clear(), (lags.length = 0)),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  }
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** Calls `emit(i)` RATE times a second for SECONDS, in 10 ms ticks, without waiting for one to finish before the next tick. */
async function paced(emit: (i: number) => Promise<unknown>) {
  const total = RATE * SECONDS
  const started = performance.now()
  const inFlight: Promise<unknown>[] = []
  let sent = 0
  let maxBehind = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE) + 1)
    maxBehind = Math.max(maxBehind, due - sent)
    while (sent < due) inFlight.push(emit(sent++))
    await sleep(10)
  }
  await Promise.all(inFlight)
  return { total, emitSeconds: (performance.now() - started) / 1000, maxBehind }
}

function summarise(receivers: Receiver[], emitted: number) {
  const lags = receivers.flatMap((r) => r.lags)
  const distinct = receivers.map((r) => r.counts.size)
  const doubled = receivers.reduce((n, r) => n + [...r.counts.values()].filter((c) => c > 1).reduce((m, c) => m + c - 1, 0), 0)
  return { deliveries: lags.length, lost: receivers.reduce((n, _, i) => n + Math.max(0, emitted - distinct[i]!), 0), doubled, p50: pct(lags, 50), p99: pct(lags, 99), max: Math.max(...lags) }
}

async function baseline(receivers: Receiver[]) {
  for (const r of receivers) r.reset()
  const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 16 })
  const post = (url: string, body: string) =>
    new Promise<void>((resolve, reject) => {
      const timestamp = Math.floor(Date.now() / 1000)
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-webhook-signature': signWebhook(['whsec_bench'], timestamp, body) } }, (res) => {
        res.resume()
        res.on('end', () => resolve())
      })
      req.on('error', reject)
      req.end(body)
    })
  const run = await paced(async () => {
    const body = JSON.stringify({ id: randomUUID(), type: 'order.created', createdAt: new Date().toISOString(), aggregate: { type: 'order', id: '1' }, data: {} })
    await Promise.all(receivers.map((r) => post(r.url, body)))
  })
  agent.destroy()
  return { ...run, ...summarise(receivers, run.total), drainMs: 0 }
}

async function runEngine(engine: 'pglite' | 'postgres', receivers: Receiver[]) {
  for (const r of receivers) r.reset()
  const database = engine === 'postgres' ? await createPgDatabase(process.env.BENCH_DATABASE_URL!) : undefined
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'bench-fanout-')) : undefined
  const handle = engine === 'postgres' ? await openPostgres(database!.url, { max: 20 }) : await openPglite({ dataDir })
  await handle.migrate()
  const services = await createTestServices(handle, { PARTNER_TIMEOUT_MS: '10000' })
  try {
    for (const [i, r] of receivers.entries()) await createWebhookEndpoint(services.staff(1), { name: `bench ${i}`, url: r.url, events: ['order.created'] })
    await services.queue.work<JobDeps>(integrationWorkers, { services } as unknown as JobDeps)
    const run = await paced((i) => write(services.system('bench'), (w) => emitIntegrationEvent(w, { type: 'order.created', aggregateType: 'order', aggregateId: 1_000_000 + i, payload: { orderId: 1_000_000 + i } })))
    const drainStart = performance.now()
    const expected = run.total * RECEIVERS
    while (receivers.reduce((n, r) => n + r.lags.length, 0) < expected && performance.now() - drainStart < DRAIN_LIMIT_MS) await sleep(100)
    const drainMs = performance.now() - drainStart
    await sleep(1000) // anything doubled would arrive now
    return { engine, ...run, ...summarise(receivers, run.total), drainMs }
  } finally {
    await services.close()
    await handle.close()
    await database?.drop()
    if (dataDir) removeDir(dataDir)
  }
}

export async function fanout() {
  console.log(`\n== fanout: ${RATE} events/s for ${SECONDS} s to ${RECEIVERS} webhooks (outbox -> pg-boss -> signed POST) vs posting straight to the receivers`)
  const receivers = await Promise.all(Array.from({ length: RECEIVERS }, startReceiver))
  try {
    const base = await baseline(receivers)
    const results = []
    for (const engine of benchEngines()) results.push(await runEngine(engine, receivers))
    const rows: Row[] = [{ path: 'direct POST baseline', events: base.total, 'emit s': fmt(base.emitSeconds, 2), deliveries: base.deliveries, 'lag p50 ms': base.p50, 'lag p99 ms': base.p99, 'lag max ms': base.max, 'drain ms': '-', lost: base.lost, doubled: base.doubled }]
    for (const r of results) rows.push({ path: `outbox + pg-boss on ${r.engine}`, events: r.total, 'emit s': fmt(r.emitSeconds, 2), deliveries: r.deliveries, 'lag p50 ms': r.p50, 'lag p99 ms': r.p99, 'lag max ms': r.max, 'drain ms': Math.round(r.drainMs), lost: r.lost, doubled: r.doubled })
    table('fan-out to 3 webhooks', rows)
    const checks: Limit[] = []
    for (const r of results) {
      checks.push({ what: `${r.engine}: events lost (any receiver)`, value: r.lost, limit: 0, kind: 'max' })
      checks.push({ what: `${r.engine}: deliveries doubled`, value: r.doubled, limit: 0, kind: 'max' })
      checks.push({ what: `${r.engine}: delivery lag p99`, value: r.p99, limit: 5000, kind: 'max', unit: ' ms' })
      checks.push({ what: `${r.engine}: emitting kept up with ${RATE}/s (s for ${RATE * SECONDS} events)`, value: r.emitSeconds, limit: SECONDS * 1.2, kind: 'max', unit: ' s' })
    }
    const file = writeResult('fanout', { rate: RATE, seconds: SECONDS, receivers: RECEIVERS, baseline: base, results, limits: limits(checks) })
    console.log(`written ${file}`)
  } finally {
    await Promise.all(receivers.map((r) => r.close()))
  }
}
