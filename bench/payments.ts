/**
 * `payments`: Telegram Payments through the webhook against the fake Bot API.
 * 1. Pre-checkout: 200 customers each with an order awaiting payment; their 200 pre_checkout_query
 *    updates arrive at once and are delivered as Telegram delivers them (40 kept-alive connections,
 *    our max_connections), after 400 warm-up deliveries. Per query: all there -> Telegram having
 *    the answer: the webhook's response carrying answerPreCheckoutQuery (Telegram runs it), or the
 *    fake receiving that call (Telegram gives the bot 10 s). p50/p99/max, answers ok:true, the
 *    server's CPU a query; the bare server delivered the same way.
 * 2. A burst of 10,000 successful_payment updates at 40 connections for N real orders: every charge
 *    delivered many times, half as redeliveries (same update_id), half as replays (new update_id).
 *    Then, counted in the database and at the fake: one payment row per charge, N orders paid once,
 *    exactly one "оплачен" chat confirmation per customer.
 */
import { connect, type Socket } from 'node:net'
import { startFakeInWorker, type BenchFake as FakeBotApi } from './fake-worker'
import { cpuMs, createPgDatabase, pgAdminUrl, readMetric, readMetrics, removeDir, sleep, startApp, startBaseline, type App, benchEngines } from './lib'
import { burst, type LoadResult } from './load'
import { fmt, limits, table, writeResult, type Limit } from './report'
import { customer, pickupPoint, placeOrder, pool, products, raiseStock, shopEnv, WEBHOOK_SECRET, type PlacedOrder } from './shop'
import { withDb } from './stored'

const PRE_CHECKOUTS = 200
/** 200 by default: placing 500 orders takes ~2 min on PGlite on a busy 2-core machine. */
const ORDERS = Math.max(PRE_CHECKOUTS, Number(process.env.BENCH_PAYMENT_ORDERS ?? 200))
const UPDATES = Number(process.env.BENCH_PAYMENT_UPDATES ?? 10_000)
const BURST_CONNECTIONS = 40
const UPDATE_BASE = 950_000_000
const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }
const PRODUCTS = ['americano', 'cappuccino', 'flat-white']
const done = 'telegram_updates_total{result="done"}'
const notifications = (state: 'queued' | 'active') => `queue_jobs_${state}{queue="notifications.order-status"}`
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN

async function setup(app: App, fake: FakeBotApi) {
  const items = await products(app.url, PRODUCTS)
  for (const p of items) await raiseStock(app.url, fake.token, p.id, 10_000)
  const pickup = await pickupPoint(app.url, fake.token, customer(7_500_000, 0))
  const t0 = performance.now()
  const orders = await pool(Array.from({ length: ORDERS }, (_, i) => i), 8, (i) => placeOrder(app.url, fake.token, customer(7_500_000, i), items[i % items.length]!, pickup))
  return { orders, setupS: (performance.now() - t0) / 1000 }
}

/** Telegram's deliveries to one webhook: at most `max_connections` at a time (we set 40), kept alive. */
const TELEGRAM_CONNECTIONS = 40

/**
 * A minimal HTTP/1.1 client for this phase: TELEGRAM_CONNECTIONS kept-alive sockets writing
 * prepared request bytes, each sending the next update when its previous answer is complete
 * (Content-Length or chunked). node:http's or fetch's own cost per request (0.3-1 ms in this
 * process) would otherwise be most of what is measured: 200 POSTs to the bare server took 85 ms
 * through node:http, 240 ms through fetch on new connections.
 */
class Deliveries {
  private readonly sockets: Socket[] = []
  private constructor(private readonly host: string, private readonly port: number, private readonly path: string) {}

  static async open(url: string, connections: number) {
    const { hostname, port, pathname } = new URL(url)
    const d = new Deliveries(hostname, Number(port), pathname)
    for (let i = 0; i < connections; i++) {
      const socket = connect(d.port, d.host)
      socket.setNoDelay(true)
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
      d.sockets.push(socket)
    }
    return d
  }

  private bytes(body: string) {
    const payload = Buffer.from(body)
    const head = `POST ${this.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: ${WEBHOOK_SECRET}\r\nContent-Length: ${payload.length}\r\n\r\n`
    return Buffer.concat([Buffer.from(head), payload])
  }

  /** Sends `bodies` (all prepared first); per body its answer and ms from the start of sending (`startedAt`, wall clock). */
  async send(bodies: string[]) {
    const requests = bodies.map((b) => this.bytes(b))
    const answers: { status: number; body: string; ms: number }[] = new Array(requests.length)
    let next = 0
    const t0 = performance.now()
    const startedAt = performance.timeOrigin + t0
    await Promise.all(this.sockets.map((socket) => new Promise<void>((resolve, reject) => {
      let buffer = Buffer.alloc(0)
      let current = -1
      const sendNext = () => {
        if (next >= requests.length) { socket.removeListener('data', onData); return resolve() }
        current = next++
        socket.write(requests[current]!)
      }
      const onData = (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk])
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.subarray(0, end).toString('latin1')
        const status = Number(head.slice(9, 12))
        let body: Buffer | undefined
        let used: number
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)
        if (length) {
          if (buffer.length < end + 4 + Number(length[1])) return
          body = buffer.subarray(end + 4, end + 4 + Number(length[1]))
          used = end + 4 + Number(length[1])
        } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
          const parts: Buffer[] = []
          let at = end + 4
          for (;;) {
            const line = buffer.indexOf('\r\n', at)
            if (line < 0) return
            const size = parseInt(buffer.subarray(at, line).toString('latin1'), 16)
            if (buffer.length < line + 2 + size + 2) return
            if (size === 0) { used = line + 4; break }
            parts.push(buffer.subarray(line + 2, line + 2 + size))
            at = line + 2 + size + 2
          }
          body = Buffer.concat(parts)
        } else return reject(new Error(`answer without a length: ${head}`))
        answers[current] = { status, body: body.toString('utf8'), ms: performance.now() - t0 }
        buffer = buffer.subarray(used)
        sendNext()
      }
      socket.on('data', onData)
      socket.once('error', reject)
      sendNext()
    })))
    return Object.assign(answers, { startedAt })
  }

  close() { for (const socket of this.sockets) socket.destroy() }
}

/**
 * Deliveries each server gets before the measured ones: a running shop's server has handled
 * webhooks before its customers pay. With 40 (one per connection, enough to open them and load the
 * route) the code answering them was still being compiled during the measured 200: the app's CPU
 * was 0.40-0.70 ms a query against 0.30-0.55 after 400, and its p99 120-222 against 58-104 ms
 * (PostgreSQL, 4 alternating pairs, 2026-12-02).
 */
const WARM_UP_DELIVERIES = 10 * TELEGRAM_CONNECTIONS

/**
 * `bodies` arriving all at once, delivered the way Telegram delivers: over TELEGRAM_CONNECTIONS
 * connections opened beforehand and warmed by WARM_UP_DELIVERIES `warmUp` bodies, each sending the
 * next update when the previous one is answered. Per update: ms from the moment all were there to
 * its answer (the payer's wait), and the answer.
 */
async function deliverAtOnce(url: string, bodies: string[], warmUp: () => string, pid?: number) {
  const deliveries = await Deliveries.open(url, TELEGRAM_CONNECTIONS)
  try {
    for (const answer of await deliveries.send(Array.from({ length: WARM_UP_DELIVERIES }, warmUp))) {
      if (answer.status !== 200) throw new Error(`warm-up delivery answered ${answer.status}: ${answer.body}`)
    }
    const cpu0 = pid ? cpuMs(pid) : 0
    const answers = await deliveries.send(bodies)
    // The server's CPU per delivery (answered in the webhook's response: all of its work is in this window).
    return Object.assign(answers, { cpuMsPerUpdate: pid ? (cpuMs(pid) - cpu0) / bodies.length : NaN })
  } finally {
    deliveries.close()
  }
}

/** All pre-checkout updates at once; latency per query until Telegram has its answer. */
async function preCheckouts(app: App, fake: FakeBotApi, orders: PlacedOrder[]) {
  const updates = orders.map((o) => fake.updates.preCheckoutQuery(o.user, { currency: o.currency, total_amount: o.totalMinor, invoice_payload: `order:${o.id}` }))
  const answers = new Map<string, { ms: number; ok: boolean }>()
  // Answered through the Bot API instead (the ordinary path): the fake stamps the call in its own thread (wall clock).
  const measured = new Set(updates.map((u) => u.pre_checkout_query.id))
  const viaApi = new Map<string, { at: number; ok: boolean }>()
  const off = fake.onCall((c) => {
    const id = String(c.params.pre_checkout_query_id)
    if (c.method === 'answerPreCheckoutQuery' && measured.has(id) && !viaApi.has(id)) viaApi.set(id, { at: c.at.getTime(), ok: c.params.ok === true || c.params.ok === 'true' })
  })
  // The warm-up: refused pre-checkouts (no such order).
  const warmUp = () => JSON.stringify(fake.updates.preCheckoutQuery(customer(7_400_000, 0), { currency: 'RUB', total_amount: 100, invoice_payload: 'order:0' }))
  const delivered = await deliverAtOnce(`${app.url}/api/telegram/webhook`, updates.map((u) => JSON.stringify(u)), warmUp, app.pid)
  delivered.forEach((d, i) => {
    // Answered in the webhook's response (Telegram runs the method it carries): Telegram has the answer now.
    const reply = d.status === 200 ? JSON.parse(d.body) as { method?: string; pre_checkout_query_id?: string; ok?: boolean } : {}
    const id = updates[i]!.pre_checkout_query.id
    if (reply.method === 'answerPreCheckoutQuery' && reply.pre_checkout_query_id === id && !answers.has(id)) answers.set(id, { ms: d.ms, ok: reply.ok === true })
  })
  const deadline = performance.now() + 20_000
  while (answers.size + [...viaApi.keys()].filter((id) => !answers.has(id)).length < updates.length && performance.now() < deadline) await sleep(20)
  off()
  for (const [id, call] of viaApi) if (!answers.has(id)) answers.set(id, { ms: call.at - delivered.startedAt, ok: call.ok })
  const ms = [...answers.values()].map((a) => a.ms).sort((a, b) => a - b)
  return {
    sent: updates.length, acked: delivered.filter((d) => d.status === 200).length, answered: answers.size, okTrue: [...answers.values()].filter((a) => a.ok).length,
    p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: ms.at(-1) ?? NaN, over10s: ms.filter((m) => m > 10_000).length + updates.length - answers.size,
    cpuMsPerUpdate: delivered.cpuMsPerUpdate,
  }
}

/**
 * The floor for the same deliveries: the bare node:http server (its own process) reading and
 * parsing the same number of pre_checkout_query bodies, delivered the same way, answering at once.
 * What the app's p99 has beyond this is the app's own work.
 */
async function preCheckoutBaseline(fake: FakeBotApi, count: number) {
  const baseline = await startBaseline()
  try {
    const user = customer(7_500_000, 0)
    const body = (i: number) => JSON.stringify(fake.updates.preCheckoutQuery({ ...user, id: user.id + i }, { currency: 'RUB', total_amount: 100_000, invoice_payload: `order:${i + 1}` }))
    const delivered = await deliverAtOnce(`${baseline.url}/api/telegram/webhook`, Array.from({ length: count }, (_, i) => body(i)), () => body(0), baseline.pid)
    const ms = delivered.map((d) => d.ms).sort((a, b) => a - b)
    return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: ms.at(-1)!, cpuMsPerUpdate: delivered.cpuMsPerUpdate }
  } finally {
    await baseline.stop()
  }
}

/** UPDATES bodies for `orders`: each charge many times, redeliveries and replays, shuffled (seeded). */
function paymentBodies(fake: FakeBotApi, orders: PlacedOrder[]): string[] {
  const per = Math.ceil(UPDATES / orders.length)
  const bodies: string[] = []
  orders.forEach((o, k) => {
    const update = fake.updates.successfulPayment(o.user, { currency: o.currency, total_amount: o.totalMinor, invoice_payload: `order:${o.id}`, telegram_payment_charge_id: `bench-charge-${o.id}`, provider_payment_charge_id: `prov-${o.id}` })
    for (let j = 0; j < per; j++) {
      const updateId = j < per / 2 ? UPDATE_BASE + k : UPDATE_BASE + orders.length + k * per + j
      bodies.push(JSON.stringify({ ...update, update_id: updateId }))
    }
  })
  let seed = 42
  for (let i = bodies.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    const j = seed % (i + 1)
    ;[bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!]
  }
  return bodies.slice(0, UPDATES)
}

async function paymentBurst(app: App, fake: FakeBotApi, orders: PlacedOrder[]) {
  const bodies = paymentBodies(fake, orders)
  const distinctUpdates = new Set(bodies.map((b) => (JSON.parse(b) as { update_id: number }).update_id)).size
  const customers = new Set(orders.map((o) => o.user.id))
  const confirmations = () => fake.callsOf('sendMessage').filter((c) => customers.has(Number(c.params.chat_id)) && /оплачен|paid/i.test(String(c.params.text)))
  // The event loop's longest stall from the burst's start until the queue drained (prom-client's
  // monitor, reset by every /metrics read, so each look below keeps the worst it saw): a webhook or a
  // pre-checkout arriving then waits that long before its first line runs.
  const lag = { maxMs: 0, p99Ms: 0 }
  const look = async (series: string) => {
    const [value, maxS, p99S] = await readMetrics(app.url, [series, 'nodejs_eventloop_lag_max_seconds', 'nodejs_eventloop_lag_p99_seconds'])
    lag.maxMs = Math.max(lag.maxMs, maxS! * 1000)
    lag.p99Ms = Math.max(lag.p99Ms, p99S! * 1000)
    return value!
  }
  const done0 = await readMetric(app.url, done)
  let next = 0, stored = 0, duplicates = 0, other = 0
  const otherAnswers: Record<number, { count: number; sample: string }> = {}
  const start = { ms: performance.now(), cpu: cpuMs(app.pid) }
  // Every update stored handled (the bot's work runs after each 200): the burst's whole cost. Watched
  // from the start, since the burst's own promise resolves only at autocannon's next 1 s tick;
  // seldom while answers are still due (each look is a /metrics request to the app), then often.
  const handledAt = (async () => {
    while (performance.now() - start.ms < 240_000 && (await look(done)) - done0 < distinctUpdates) await sleep(stored + duplicates + other < bodies.length ? 250 : 20)
    return { s: (performance.now() - start.ms) / 1000, cpuMsPerUpdate: (cpuMs(app.pid) - start.cpu) / bodies.length }
  })()
  const load: LoadResult = await burst(app.url, BURST_CONNECTIONS, bodies.length, {
    method: 'POST', path: '/api/telegram/webhook', headers: HEADERS,
    nextBody: () => bodies[next++ % bodies.length]!,
    onBody: (status, body) => {
      if (status === 200) return void (body.includes('"duplicate":true') ? duplicates++ : stored++)
      other++
      otherAnswers[status] ??= { count: 0, sample: body.slice(0, 300) }
      otherAnswers[status].count++
    },
  }, app.pid)
  const handled = await handledAt
  // Wait for the notification queue to drain (at most 4 min); then 3 s more, to see any extra.
  const t0 = performance.now()
  const drained = async () => confirmations().length >= orders.length && (await look(done)) - done0 >= stored &&
    (await look(notifications('queued'))) + (await look(notifications('active'))) === 0
  while (performance.now() - t0 < 240_000 && !(await drained())) await sleep(250)
  const drainMs = performance.now() - t0
  await sleep(3000)
  const perCustomer = new Map<number, number>()
  for (const c of confirmations()) perCustomer.set(Number(c.params.chat_id), (perCustomer.get(Number(c.params.chat_id)) ?? 0) + 1)
  const counts = [...customers].map((id) => perCustomer.get(id) ?? 0)
  return {
    load, handled, lag, sent: bodies.length, distinctUpdates, stored, duplicates, other, otherAnswers, drainMs, chat: chatPace(fake, customers, Date.now() - (performance.now() - t0)),
    confirmations: confirmations().length, customersWithout: counts.filter((n) => n === 0).length, customersWithSeveral: counts.filter((n) => n > 1).length,
  }
}

/**
 * How the chat messages to the customers left (awaiting payment + paid: 2 per order): how many were
 * still to go when the burst's last answer came (`burstEndMs`, wall clock), how long until the last
 * one left, the most in any 1,000 ms (Telegram allows ~30) and the shortest gap between two messages
 * to one chat (Telegram allows 1 a second).
 */
function chatPace(fake: FakeBotApi, customers: Set<number>, burstEndMs: number) {
  const sends = fake.callsOf('sendMessage').filter((c) => customers.has(Number(c.params.chat_id))).map((c) => ({ chat: Number(c.params.chat_id), at: c.at.getTime() }))
  const times = sends.map((s) => s.at).sort((a, b) => a - b)
  let maxPerSecond = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++
    maxPerSecond = Math.max(maxPerSecond, i - j + 1)
  }
  const byChat = new Map<number, number[]>()
  for (const s of sends) byChat.set(s.chat, [...(byChat.get(s.chat) ?? []), s.at])
  let minChatGapMs = Infinity
  for (const at of byChat.values()) for (let i = 1; i < at.length; i++) minChatGapMs = Math.min(minChatGapMs, at[i]! - at[i - 1]!)
  const after = times.filter((t) => t > burstEndMs)
  return { messages: sends.length, afterBurst: after.length, afterBurstS: after.length ? (after.at(-1)! - burstEndMs) / 1000 : 0, maxPerSecond, minChatGapMs: Number.isFinite(minChatGapMs) ? minChatGapMs : null }
}

interface Counted { payments: number; charges: number; flagged: number; paid: number; paidTransitions: number; updateRows: number; updateIds: number; updatesNotDone: number }

async function countDb(target: { dataDir?: string; databaseUrl?: string }, orders: PlacedOrder[]): Promise<Counted> {
  const ids = orders.map((o) => o.id)
  return withDb(target, async (query) => (await query<Counted>(`select
    (select count(*)::int from payments where telegram_payment_charge_id like 'bench-charge-%') as payments,
    (select count(distinct telegram_payment_charge_id)::int from payments where telegram_payment_charge_id like 'bench-charge-%') as charges,
    (select count(*)::int from payments where telegram_payment_charge_id like 'bench-charge-%' and flag is not null) as flagged,
    (select count(*)::int from orders where id = any($1::int[]) and status = 'paid') as paid,
    (select count(*)::int from order_status_history where order_id = any($1::int[]) and to_status = 'paid') as "paidTransitions",
    (select count(*)::int from telegram_updates where update_id >= $2) as "updateRows",
    (select count(distinct update_id)::int from telegram_updates where update_id >= $2) as "updateIds",
    (select count(*)::int from telegram_updates where update_id >= $2 and status <> 'done') as "updatesNotDone"`, [ids, UPDATE_BASE]))[0]!)
}

async function untilQueueIdle(app: App) {
  const t0 = performance.now()
  while (performance.now() - t0 < 60_000 && (await readMetric(app.url, notifications('queued'))) + (await readMetric(app.url, notifications('active'))) > 0) await sleep(100)
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  // In a worker thread: its receipt times are not those of this thread's busy event loop.
  const fake = await startFakeInWorker()
  const app = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
  let db: Counted | undefined
  try {
    await fake.waitFor('setMyCommands', undefined, 15_000)
    const { orders, setupS } = await setup(app, fake)
    console.log(`${engine}: ${orders.length} orders awaiting payment placed in ${fmt(setupS)} s`)
    // Placing the orders queued a chat message each, which leave at Telegram's pace (~7 s for 200):
    // the pre-checkouts are measured after they left, not amid them.
    await untilQueueIdle(app)
    const pre = await preCheckouts(app, fake, orders.slice(0, PRE_CHECKOUTS))
    console.log(`${engine}: pre-checkout answered ${pre.answered}/${pre.sent}, p99 ${fmt(pre.p99Ms, 0)} ms`)
    const paid = await paymentBurst(app, fake, orders)
    console.log(`${engine}: ${paid.sent} payment updates acked at ${fmt(paid.load.okPerS)}/s, drained in ${fmt(paid.drainMs / 1000)} s`)
    if (database) db = await countDb({ databaseUrl: database.url }, orders)
    await app.stop()
    if (!database) db = await countDb({ dataDir: app.dataDir }, orders)
    return { engine, orders: orders.length, setupS, pre, paid, db: db! }
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
}

export async function payments() {
  console.log(`\n== payments: ${PRE_CHECKOUTS} concurrent pre-checkouts; ${fmt(UPDATES, 0)} successful_payment updates for ${ORDERS} orders at ${BURST_CONNECTIONS} connections`)
  const results = []
  for (const engine of benchEngines()) results.push(await runEngine(engine))
  const fakeForBodies = await startFakeInWorker()
  const preBaseline = await preCheckoutBaseline(fakeForBodies, PRE_CHECKOUTS).finally(() => fakeForBodies.close())

  table(`pre-checkout: ${PRE_CHECKOUTS} updates at once over ${TELEGRAM_CONNECTIONS} connections, all there -> answerPreCheckoutQuery in the webhook's answer or at the fake`, results.map((r) => ({
    engine: r.engine, sent: r.pre.sent, 'acked 200': r.pre.acked, answered: r.pre.answered, 'ok:true': r.pre.okTrue, 'p50 ms': r.pre.p50Ms, 'p99 ms': r.pre.p99Ms, 'max ms': r.pre.maxMs, 'over 10 s or none': r.pre.over10s,
    'p99 vs baseline': `${fmt(r.pre.p99Ms / preBaseline.p99Ms, 1)}x`, 'server CPU ms/query': r.pre.cpuMsPerUpdate.toFixed(3),
  })).concat([{ engine: 'node:http baseline', sent: PRE_CHECKOUTS, 'acked 200': PRE_CHECKOUTS, answered: '-', 'ok:true': '-', 'p50 ms': preBaseline.p50Ms, 'p99 ms': preBaseline.p99Ms, 'max ms': preBaseline.maxMs, 'over 10 s or none': '-', 'p99 vs baseline': '1.0x', 'server CPU ms/query': preBaseline.cpuMsPerUpdate.toFixed(3) } as never]))
  table(`successful_payment burst (${BURST_CONNECTIONS} connections)`, results.map((r) => ({
    engine: r.engine, updates: r.paid.sent, 'distinct ids': r.paid.distinctUpdates, 'acked/s': r.paid.load.okPerS, 'p50 ms': r.paid.load.p50Ms, 'p99 ms': r.paid.load.p99Ms,
    'CPU ms/upd': r.paid.load.cpuMsPerReq!.toFixed(3), 'all handled s': r.paid.handled.s.toFixed(2), 'CPU ms/upd to handled': r.paid.handled.cpuMsPerUpdate.toFixed(3), 'loop stall max ms': Math.round(r.paid.lag.maxMs), 'stored acks': r.paid.stored, 'dup acks': r.paid.duplicates, 'non-200': r.paid.other, 'timeouts (10 s)': r.paid.load.timeouts, 'drain s': r.paid.drainMs / 1000,
  })))
  table('none lost, none doubled? (database after the queue drained; chat at the fake)', results.map((r) => ({
    engine: r.engine, orders: r.orders, 'payment rows': r.db.payments, 'distinct charges': r.db.charges, flagged: r.db.flagged, 'orders paid': r.db.paid, '->paid history': r.db.paidTransitions,
    'update rows': r.db.updateRows, 'distinct update ids': r.db.updateIds, 'not done': r.db.updatesNotDone, 'chat confirmations': r.paid.confirmations, 'customers w/o': r.paid.customersWithout, 'customers >1': r.paid.customersWithSeveral,
  })))

  table('chat messages to the customers (awaiting payment + paid), at the fake: Telegram allows ~30/s overall, 1/s per chat', results.map((r) => ({
    engine: r.engine, messages: r.paid.chat.messages, 'left after the burst': r.paid.chat.afterBurst, 'their last left after s': r.paid.chat.afterBurstS.toFixed(1),
    'most in any 1 s': r.paid.chat.maxPerSecond, 'shortest gap in one chat ms': r.paid.chat.minChatGapMs ?? '-',
  })))
  for (const r of results) if (r.paid.other) console.log(`${r.engine}: answers other than 200 to successful_payment updates: ${JSON.stringify(r.paid.otherAnswers)}`)
  const checks: Limit[] = []
  for (const r of results) {
    checks.push({ what: `${r.engine}: pre-checkout answer p99`, value: r.pre.p99Ms, limit: 10_000, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: pre-checkout answered ok:true`, value: r.pre.okTrue, limit: r.pre.sent, kind: 'min' })
    checks.push({ what: `${r.engine}: successful_payment acked/s`, value: r.paid.load.okPerS, limit: 100, kind: 'min', unit: '/s' })
    checks.push({ what: `${r.engine}: payment rows = orders`, value: Math.abs(r.db.payments - r.orders) + r.db.flagged, limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: orders paid once = orders`, value: Math.abs(r.db.paid - r.orders) + Math.abs(r.db.paidTransitions - r.orders), limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: confirmations off by`, value: Math.abs(r.paid.confirmations - r.orders) + r.paid.customersWithout + r.paid.customersWithSeveral, limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: update rows - distinct ids sent`, value: Math.abs(r.db.updateRows - r.paid.distinctUpdates), limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: chat messages after the burst left within`, value: r.paid.chat.afterBurstS, limit: 20, kind: 'max', unit: ' s' })
    checks.push({ what: `${r.engine}: chat messages in any 1 s`, value: r.paid.chat.maxPerSecond, limit: 30, kind: 'max' })
    checks.push({ what: `${r.engine}: shortest gap between two messages to one chat`, value: r.paid.chat.minChatGapMs ?? 1000, limit: 1000, kind: 'min', unit: ' ms' })
  }
  const file = writeResult('payments', { preCheckouts: PRE_CHECKOUTS, preCheckoutBaseline: preBaseline, orders: ORDERS, updates: UPDATES, burstConnections: BURST_CONNECTIONS, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
