/**
 * `webhook`: Telegram -> POST /api/telegram/webhook at 40 connections (Telegram's default
 * max_connections), unique update_ids, correct secret. Two update kinds: plain text ('hello', which
 * goes to support: stored in the customer's conversation, a new conversation acknowledged through
 * the queue, operators alerted) and `/help` (the bot calls sendMessage on the fake Bot API after
 * looking up the customer's language).
 * Afterwards every acknowledged update must be stored exactly once (counted in the database), and
 * every handled text message must be one support message (none lost, none doubled).
 * Baseline: a bare node:http process that reads and parses the same POSTs and answers 200.
 */
import { createFakeBotApi, type FakeBotApi } from '../server/telegram/fake-bot-api'
import { createPgDatabase, pgAdminUrl, readMetric, removeDir, sleep, startApp, startBaseline, type App } from './lib'
import { load, type LoadResult, type LoadRun } from './load'
import { fmt, limits, ratio, table, writeResult, type Limit, type Row } from './report'
import { countStored, withDb, type IdRange, type StoredCount } from './stored'

const CONNECTIONS = 40
const SECRET = 'bench-webhook-secret-0123456789'
const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }
const counter = (result: string) => `telegram_updates_total{result="${result}"}`

/** A private-chat text message update, as Telegram sends it; 1000 different users. */
function updateBody(updateId: number, text: string): string {
  const user = { id: 7_000_000 + (updateId % 1000), is_bot: false, first_name: 'Bench', language_code: 'en' }
  const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.length }] : undefined
  const message = { message_id: updateId % 1_000_000, from: user, chat: { id: user.id, type: 'private', first_name: 'Bench' }, date: Math.floor(Date.now() / 1000), text, entities }
  return JSON.stringify({ update_id: updateId, message })
}

interface Variant { name: string; text: string; range: IdRange }
/** Customer messages in support conversations: rows and distinct Telegram messages. */
interface SupportCount { rows: number; distinct: number }
const SUPPORT_SQL = `select count(*)::int as rows, count(distinct source_key)::int as "distinct" from support_messages where kind = 'customer' and source_key like 'tg:%'`
interface Outcome {
  variant: string
  load: LoadRun
  acked: number
  duplicateAcks: number
  otherStatus: number
  storedCounter: number
  handledDuringLoad: number
  drainMs: number
  sendMessage: number
  lagMaxMs: number
  lagP99Ms: number
}

/** Sends one variant's updates (warm-up + measured run) and counts what the server said. */
async function drive(url: string, pid: number, variant: Variant) {
  let next = variant.range.from
  let acked = 0, duplicateAcks = 0, otherStatus = 0
  const result = await load(url, CONNECTIONS, {
    method: 'POST', path: '/api/telegram/webhook', headers: HEADERS,
    nextBody: () => {
      if (next > variant.range.to) throw new Error(`id range of ${variant.name} exhausted`)
      return updateBody(next++, variant.text)
    },
    onBody: (status, body) => {
      if (status !== 200) otherStatus++
      else if (body.includes('"duplicate":true')) duplicateAcks++
      else acked++
    },
  }, pid)
  return { result, acked, duplicateAcks, otherStatus }
}

async function runApp(app: App, fake: FakeBotApi, variant: Variant): Promise<Outcome> {
  const stored0 = await readMetric(app.url, counter('stored')) // also resets the event-loop lag window
  const done0 = await readMetric(app.url, counter('done'))
  const sent0 = fake.callsOf('sendMessage').length
  const { result, acked, duplicateAcks, otherStatus } = await drive(app.url, app.pid, variant)
  const lagMaxMs = (await readMetric(app.url, 'nodejs_eventloop_lag_max_seconds')) * 1000
  const lagP99Ms = (await readMetric(app.url, 'nodejs_eventloop_lag_p99_seconds')) * 1000
  const storedCounter = (await readMetric(app.url, counter('stored'))) - stored0
  const handledDuringLoad = (await readMetric(app.url, counter('done'))) - done0
  // Handling runs after the 200: wait until every stored update has been handled (or give up).
  const drainStart = performance.now()
  while ((await readMetric(app.url, counter('done'))) - done0 < storedCounter && performance.now() - drainStart < 30_000) await sleep(100)
  const drainMs = performance.now() - drainStart
  return {
    variant: variant.name, load: result, acked, duplicateAcks, otherStatus, storedCounter, handledDuringLoad, drainMs,
    sendMessage: fake.callsOf('sendMessage').length - sent0, lagMaxMs, lagP99Ms,
  }
}

async function runEngine(engine: 'pglite' | 'postgres', variants: Variant[]) {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({
    databaseUrl: database?.url,
    env: {
      TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_UPDATES: 'webhook', PUBLIC_URL: 'https://shop.example.com', SESSION_SECRET: 'b'.repeat(40),
    },
  })
  const outcomes: Outcome[] = []
  let counts: StoredCount[] = []
  let support: SupportCount = { rows: 0, distinct: 0 }
  const countSupport = (target: Parameters<typeof withDb>[0]) => withDb(target, async (query) => (await query<SupportCount>(SUPPORT_SQL))[0]!)
  try {
    await fake.waitFor('setMyCommands', undefined, 15_000) // start-up calls to Telegram are done
    for (const v of variants) outcomes.push(await runApp(app, fake, v))
    if (database) {
      counts = await countStored({ databaseUrl: database.url }, variants.map((v) => v.range))
      support = await countSupport({ databaseUrl: database.url })
    }
  } finally {
    await app.stop()
    await fake.close()
  }
  try {
    if (!database) {
      counts = await countStored({ dataDir: app.dataDir }, variants.map((v) => v.range))
      support = await countSupport({ dataDir: app.dataDir })
    }
  } finally {
    removeDir(app.dataDir)
    await database?.drop()
  }
  // Only the text variant writes to support (commands keep their own answers).
  return outcomes.map((o, i) => ({ ...o, engine, db: counts[i]!, support: variants[i]!.text.startsWith('/') ? null : support }))
}

export async function webhook() {
  console.log(`\n== webhook: POST /api/telegram/webhook, ${CONNECTIONS} connections, unique update_ids`)
  const base0 = 900_000_000
  const variants: Variant[] = [
    { name: "text 'hello' (support intake)", text: 'hello', range: { from: base0 + 1_000_000, to: base0 + 1_999_999 } },
    { name: '/help (sendMessage)', text: '/help', range: { from: base0 + 2_000_000, to: base0 + 2_999_999 } },
  ]
  const baseline = await startBaseline()
  let base: LoadResult
  try {
    base = (await drive(baseline.url, baseline.pid, { name: 'baseline', text: 'hello', range: { from: 1, to: 1e9 } })).result
  } finally {
    await baseline.stop()
  }
  const results = await runEngine('pglite', variants)
  if (pgAdminUrl) results.push(...(await runEngine('postgres', variants)))

  const rows: Row[] = [{ server: 'node:http baseline', updates: '-', 'acked/s': base.okPerS, 'p50 ms': base.p50Ms, 'p99 ms': base.p99Ms, 'max ms': base.maxMs, 'CPU ms/upd': base.cpuMsPerReq!.toFixed(3), 'vs baseline': '1.00x', non200: base.non2xx + base.errors }]
  for (const r of results) {
    rows.push({ server: `app on ${r.engine}`, updates: r.variant, 'acked/s': r.load.okPerS, 'p50 ms': r.load.p50Ms, 'p99 ms': r.load.p99Ms, 'max ms': r.load.maxMs, 'CPU ms/upd': r.load.cpuMsPerReq!.toFixed(3), 'vs baseline': ratio(r.load.okPerS, base.okPerS), non200: r.otherStatus + r.load.errors })
  }
  table('throughput (measured run)', rows)
  table('stored exactly once? (warm-up + measured run; rows counted in the database)', results.map((r) => ({
    engine: r.engine, updates: r.variant, 'acked 200': r.acked, 'dup acks': r.duplicateAcks, 'stored (metric)': r.storedCounter,
    'db rows': r.db.rows, 'distinct ids': r.db.distinctIds, 'lost (acked - rows)': Math.max(0, r.acked - r.db.rows),
    'unacked rows': r.db.rows - r.acked,
  })))
  table('after the answer: handling and the event loop', results.map((r) => ({
    engine: r.engine, updates: r.variant, 'handled in load': r.handledDuringLoad, 'drain ms': r.drainMs, sendMessage: r.sendMessage,
    'db done': r.db.done, 'db pending': r.db.pending, 'loop lag p99 ms': r.lagP99Ms, 'loop lag max ms': r.lagMaxMs,
  })))
  table('support intake: every handled text message is one customer message', results.filter((r) => r.support).map((r) => ({
    engine: r.engine, updates: r.variant, 'db done': r.db.done, 'support rows': r.support!.rows, 'distinct messages': r.support!.distinct,
    'lost (done - rows)': Math.max(0, r.db.done - r.support!.rows), 'doubled (rows - distinct)': r.support!.rows - r.support!.distinct,
  })))
  console.log(`'unacked rows' are updates stored while autocannon stopped (in flight, answer dropped): at most ${CONNECTIONS} per run, 2 runs each, plus requests autocannon timed out (10 s)`)

  const checks: Limit[] = []
  for (const r of results) {
    const tag = `${r.engine} ${r.variant}`
    checks.push({ what: `${tag}: acked updates/s`, value: r.load.okPerS, limit: 100, kind: 'min', unit: '/s' })
    checks.push({ what: `${tag}: p99 latency`, value: r.load.p99Ms, limit: 1000, kind: 'max', unit: ' ms' })
    checks.push({ what: `${tag}: lost (acked but not stored)`, value: Math.max(0, r.acked - r.db.rows), limit: 0, kind: 'max' })
    checks.push({ what: `${tag}: duplicates (rows - distinct ids, duplicate acks)`, value: r.db.rows - r.db.distinctIds + r.duplicateAcks, limit: 0, kind: 'max' })
    const timeouts = r.load.timeouts + r.load.warmup.timeouts // autocannon gives up after 10 s; the update is still stored
    if (r.support) {
      checks.push({ what: `${tag}: support messages lost (handled but not stored)`, value: Math.max(0, r.db.done - r.support.rows), limit: 0, kind: 'max' })
      checks.push({ what: `${tag}: support messages doubled`, value: r.support.rows - r.support.distinct, limit: 0, kind: 'max' })
    }
    checks.push({ what: `${tag}: unacked rows (in flight at stop, timed out)`, value: r.db.rows - r.acked, limit: 2 * CONNECTIONS + timeouts, kind: 'max' })
  }
  const file = writeResult('webhook', { connections: CONNECTIONS, baseline: base, results, limits: limits(checks) })
  console.log(`written ${file} (${fmt(results.length, 0)} app runs)`)
}
