/**
 * `payments`: Telegram Payments through the webhook against the fake Bot API.
 * 1. Pre-checkout: 200 customers each with an order awaiting payment; their 200 pre_checkout_query
 *    updates are POSTed at once (200 connections). Per query: send -> Telegram having the answer:
 *    the webhook's response carrying answerPreCheckoutQuery (Telegram runs it), or the fake
 *    receiving that call (Telegram gives the bot 10 s). p50/p99/max, answers ok:true.
 * 2. A burst of 10,000 successful_payment updates at 40 connections for N real orders: every charge
 *    delivered many times, half as redeliveries (same update_id), half as replays (new update_id).
 *    Then, counted in the database and at the fake: one payment row per charge, N orders paid once,
 *    exactly one "оплачен" chat confirmation per customer.
 */
import { startFakeInWorker, type BenchFake as FakeBotApi } from './fake-worker'
import { createPgDatabase, pgAdminUrl, readMetric, removeDir, sleep, startApp, type App, benchEngines } from './lib'
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

/** All pre-checkout updates at once; latency per query until the fake sees its answer. */
async function preCheckouts(app: App, fake: FakeBotApi, orders: PlacedOrder[]) {
  const updates = orders.map((o) => fake.updates.preCheckoutQuery(o.user, { currency: o.currency, total_amount: o.totalMinor, invoice_payload: `order:${o.id}` }))
  const sentAt = new Map<string, number>()
  const answers = new Map<string, { ms: number; ok: boolean }>()
  const off = fake.onCall((c) => {
    if (c.method !== 'answerPreCheckoutQuery') return
    const id = String(c.params.pre_checkout_query_id)
    const at = sentAt.get(id)
    // The fake stamps the call when its own thread reads it (wall clock, as `sentAt`).
    if (at !== undefined && !answers.has(id)) answers.set(id, { ms: c.at.getTime() - at, ok: c.params.ok === true || c.params.ok === 'true' })
  })
  const acks = await Promise.all(updates.map(async (u) => {
    sentAt.set(u.pre_checkout_query.id, performance.timeOrigin + performance.now())
    const res = await fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: HEADERS, body: JSON.stringify(u) })
    const body = await res.text()
    // Answered in the webhook's response (Telegram runs the method it carries): Telegram has the answer now.
    const reply = res.ok ? JSON.parse(body) as { method?: string; pre_checkout_query_id?: string; ok?: boolean } : {}
    const id = u.pre_checkout_query.id
    if (reply.method === 'answerPreCheckoutQuery' && reply.pre_checkout_query_id === id && !answers.has(id)) answers.set(id, { ms: performance.timeOrigin + performance.now() - sentAt.get(id)!, ok: reply.ok === true })
    return res.status
  }))
  const deadline = performance.now() + 20_000
  while (answers.size < updates.length && performance.now() < deadline) await sleep(20)
  off()
  const ms = [...answers.values()].map((a) => a.ms).sort((a, b) => a - b)
  return {
    sent: updates.length, acked: acks.filter((s) => s === 200).length, answered: answers.size, okTrue: [...answers.values()].filter((a) => a.ok).length,
    p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: ms.at(-1) ?? NaN, over10s: ms.filter((m) => m > 10_000).length + updates.length - answers.size,
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
  const done0 = await readMetric(app.url, done)
  let next = 0, stored = 0, duplicates = 0, other = 0
  const otherAnswers: Record<number, { count: number; sample: string }> = {}
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
  // Wait for handling and for the notification queue to drain (at most 4 min); then 3 s more, to see any extra.
  const t0 = performance.now()
  const drained = async () => confirmations().length >= orders.length && (await readMetric(app.url, done)) - done0 >= stored &&
    (await readMetric(app.url, notifications('queued'))) + (await readMetric(app.url, notifications('active'))) === 0
  while (performance.now() - t0 < 240_000 && !(await drained())) await sleep(250)
  const drainMs = performance.now() - t0
  await sleep(3000)
  const perCustomer = new Map<number, number>()
  for (const c of confirmations()) perCustomer.set(Number(c.params.chat_id), (perCustomer.get(Number(c.params.chat_id)) ?? 0) + 1)
  const counts = [...customers].map((id) => perCustomer.get(id) ?? 0)
  return {
    load, sent: bodies.length, distinctUpdates, stored, duplicates, other, otherAnswers, drainMs, chat: chatPace(fake, customers, Date.now() - (performance.now() - t0)),
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

  table(`pre-checkout: ${PRE_CHECKOUTS} updates at once, update sent -> answerPreCheckoutQuery in the webhook's answer or at the fake`, results.map((r) => ({
    engine: r.engine, sent: r.pre.sent, 'acked 200': r.pre.acked, answered: r.pre.answered, 'ok:true': r.pre.okTrue, 'p50 ms': r.pre.p50Ms, 'p99 ms': r.pre.p99Ms, 'max ms': r.pre.maxMs, 'over 10 s or none': r.pre.over10s,
  })))
  table(`successful_payment burst (${BURST_CONNECTIONS} connections)`, results.map((r) => ({
    engine: r.engine, updates: r.paid.sent, 'distinct ids': r.paid.distinctUpdates, 'acked/s': r.paid.load.okPerS, 'p50 ms': r.paid.load.p50Ms, 'p99 ms': r.paid.load.p99Ms,
    'CPU ms/upd': r.paid.load.cpuMsPerReq!.toFixed(3), 'stored acks': r.paid.stored, 'dup acks': r.paid.duplicates, 'non-200': r.paid.other, 'timeouts (10 s)': r.paid.load.timeouts, 'drain s': r.paid.drainMs / 1000,
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
  const file = writeResult('payments', { preCheckouts: PRE_CHECKOUTS, orders: ORDERS, updates: UPDATES, burstConnections: BURST_CONNECTIONS, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
