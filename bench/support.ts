/**
 * `support`: (1) customers writing to the bot, through POST /api/telegram/webhook at 40
 * connections (Telegram's default max_connections), 2,000 different customers, every update a new
 * message; while an operator's live stream (GET /api/admin/support/events) is open and counting.
 * Afterwards, in the database: every acknowledged update is one customer message in a conversation
 * (none lost), no message twice (none doubled). Baseline: the bare node:http process reading and
 * parsing the same POSTs. (2) The /admin inbox over 10,000 conversations (seeded in SQL): the first
 * page of "all open" and the operator's filtered folder "mine", at 10 connections.
 */
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { benchEngines, createPgDatabase, readMetric, removeDir, sleep, startApp, startBaseline, type App } from './lib'
import { load, type LoadResult } from './load'
import { limits, ratio, table, writeResult, type Limit, type Row } from './report'
import { OWNER, api, authHeaders, shopEnv, WEBHOOK_SECRET } from './shop'
import { withDb, type DbTarget } from './stored'

const CONNECTIONS = 40
const CUSTOMERS = 2000
const CONVERSATIONS = 10_000
const INBOX_CONNECTIONS = 10
const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }
const CUSTOMER_BASE = 5_100_000
const SEED_BASE = 5_300_000

/** A customer's text message in their private chat; `message_id` is unique per chat as Telegram's are. */
function updateBody(updateId: number): string {
  const user = { id: CUSTOMER_BASE + (updateId % CUSTOMERS), is_bot: false, first_name: 'Клиент', language_code: 'ru' }
  const message = { message_id: updateId, from: user, chat: { id: user.id, type: 'private', first_name: 'Клиент' }, date: Math.floor(Date.now() / 1000), text: `Где мой заказ? ${updateId}` }
  return JSON.stringify({ update_id: updateId, message })
}

async function drive(url: string, pid: number, from: number) {
  let next = from
  let acked = 0, duplicateAcks = 0, otherStatus = 0
  const result = await load(url, CONNECTIONS, {
    method: 'POST', path: '/api/telegram/webhook', headers: HEADERS,
    nextBody: () => updateBody(next++),
    onBody: (status, body) => {
      if (status !== 200) otherStatus++
      else if (body.includes('"duplicate":true')) duplicateAcks++
      else acked++
    },
  }, pid)
  return { result, acked, duplicateAcks, otherStatus, sent: next - from }
}

/** Opens the operator's live stream and counts `change` events and the conversation ids in them. */
async function liveListener(url: string, token: string) {
  const aborter = new AbortController()
  const res = await fetch(`${url}/api/admin/support/events`, { headers: authHeaders(OWNER, token), signal: aborter.signal })
  if (res.status !== 200) throw new Error(`live stream answered ${res.status}`)
  const counts = { events: 0, ids: 0 }
  const reading = (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      for (const block of value.split('\n\n')) {
        if (!block.includes('event: change')) continue
        counts.events++
        counts.ids += (JSON.parse(/data: (.*)/.exec(block)?.[1] ?? '{"ids":[]}') as { ids: number[] }).ids.length
      }
    }
  })().catch(() => {})
  return { counts, stop: async () => void (aborter.abort(), await reading) }
}

const SUPPORT_SQL = `select count(*)::int as rows, count(distinct source_key)::int as "distinct", count(distinct conversation_id)::int as conversations
  from support_messages where kind = 'customer' and source_key like 'tg:%'`
/** 10,000 conversations of 10,000 customers: 60 % open (a third assigned to the owner), 25 % waiting, 15 % closed. */
const SEED_SQL = [
  `insert into users (telegram_id, first_name, language_code) select ${SEED_BASE} + g, 'Клиент ' || g, 'ru' from generate_series(1, ${CONVERSATIONS}) g on conflict do nothing`,
  `insert into support_conversations (customer_id, status, assignee_id, unread_for_staff, last_message_at, last_message_preview, first_response_at, closed_at)
   select ${SEED_BASE} + g,
     case when g % 20 < 12 then 'open' when g % 20 < 17 then 'waiting' else 'closed' end,
     case when g % 20 < 12 and g % 3 = 0 then ${OWNER.id} end,
     g % 4, now() - make_interval(mins => g), 'Вопрос ' || g,
     case when g % 20 >= 12 then now() - make_interval(mins => g) end,
     case when g % 20 >= 17 then now() - make_interval(mins => g) end
   from generate_series(1, ${CONVERSATIONS}) g`,
  `insert into support_messages (conversation_id, kind, author_id, text) select id, 'customer', customer_id, last_message_preview from support_conversations where customer_id > ${SEED_BASE}`,
]

interface Counted { rows: number; distinct: number; conversations: number }
const countSupport = (target: DbTarget) => withDb(target, async (query) => (await query<Counted>(SUPPORT_SQL))[0]!)
const seed = (target: DbTarget) => withDb(target, async (query) => {
  for (const statement of SEED_SQL) await query(statement)
  return (await query<{ n: number }>('select count(*)::int as n from support_conversations'))[0]!.n
})

async function inboxRead(app: App, token: string, query: string) {
  const headers = authHeaders(OWNER, token) // signed once: valid for the run (INIT_DATA_MAX_AGE is a day)
  return load(app.url, INBOX_CONNECTIONS, { path: `/api/admin/support/conversations?${query}`, headers }, app.pid)
}

async function runEngine(engine: 'pglite' | 'postgres', from: number) {
  const database = engine === 'postgres' ? await createPgDatabase(process.env.BENCH_DATABASE_URL!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const env = shopEnv(fake)
  let app = await startApp({ databaseUrl: database?.url, env })
  try {
    await fake.waitFor('setMyCommands', undefined, 15_000)
    if ((await api(app.url, '/api/me', { user: OWNER, token: fake.token })).status !== 200) throw new Error('owner cannot sign in')
    const allDay = Array.from({ length: 7 }, () => ({ from: '00:00', to: '00:00' }))
    await api(app.url, '/api/admin/support/hours', { method: 'POST', user: OWNER, token: fake.token, body: { days: allDay, autoReply: { ru: 'Закрыто', en: 'Closed' }, expectedReplyMinutes: 10 } })

    const live = await liveListener(app.url, fake.token)
    const done0 = await readMetric(app.url, 'telegram_updates_total{result="done"}')
    const stored0 = await readMetric(app.url, 'telegram_updates_total{result="stored"}')
    const intake = await drive(app.url, app.pid, from)
    const stored = (await readMetric(app.url, 'telegram_updates_total{result="stored"}')) - stored0
    const drainStart = performance.now()
    while ((await readMetric(app.url, 'telegram_updates_total{result="done"}')) - done0 < stored && performance.now() - drainStart < 60_000) await sleep(200)
    const drainMs = Math.round(performance.now() - drainStart)
    await sleep(500) // the last change events
    await live.stop()

    // Count, then seed the 10,000 conversations (PGlite: with the app stopped, then started again on the same data).
    let counted: Counted
    let conversations: number
    if (database) {
      counted = await countSupport({ databaseUrl: database.url })
      conversations = await seed({ databaseUrl: database.url })
    } else {
      await app.stop()
      counted = await countSupport({ dataDir: app.dataDir })
      conversations = await seed({ dataDir: app.dataDir })
      app = await startApp({ dataDir: app.dataDir, env })
    }
    const firstPage = await inboxRead(app, fake.token, 'folder=open&limit=30')
    const mine = await inboxRead(app, fake.token, 'folder=mine&limit=30')
    const waiting = await inboxRead(app, fake.token, 'folder=waiting&limit=30')
    return { engine, intake, stored, drainMs, counted, live: live.counts, conversations, firstPage, mine, waiting }
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
}

export async function support() {
  console.log(`\n== support: customer messages through the webhook (${CONNECTIONS} connections, ${CUSTOMERS} customers) and the inbox over ${CONVERSATIONS} conversations`)
  const baseline = await startBaseline()
  let base: LoadResult
  try {
    base = (await drive(baseline.url, baseline.pid, 1)).result
  } finally {
    await baseline.stop()
  }
  const results = []
  let from = 950_000_000
  for (const engine of benchEngines()) {
    results.push(await runEngine(engine, from))
    from += 10_000_000
  }
  const rows: Row[] = [{ server: 'node:http baseline', 'acked/s': base.okPerS, 'p50 ms': base.p50Ms, 'p99 ms': base.p99Ms, 'max ms': base.maxMs, 'CPU ms/upd': base.cpuMsPerReq!.toFixed(3), 'vs baseline': '1.00x' }]
  for (const r of results) rows.push({ server: `app on ${r.engine}`, 'acked/s': r.intake.result.okPerS, 'p50 ms': r.intake.result.p50Ms, 'p99 ms': r.intake.result.p99Ms, 'max ms': r.intake.result.maxMs, 'CPU ms/upd': r.intake.result.cpuMsPerReq!.toFixed(3), 'vs baseline': ratio(r.intake.result.okPerS, base.okPerS) })
  table('intake: customer messages through the webhook (measured run)', rows)
  table('none lost, none doubled (warm-up + measured run; counted in the database after the backlog drained)', results.map((r) => ({
    engine: r.engine, 'acked 200': r.intake.acked, 'dup acks': r.intake.duplicateAcks, 'stored (metric)': r.stored, 'drain ms': r.drainMs,
    'customer messages': r.counted.rows, distinct: r.counted.distinct, conversations: r.counted.conversations,
    'lost (acked - rows)': Math.max(0, r.intake.acked - r.counted.rows), 'doubled (rows - distinct)': r.counted.rows - r.counted.distinct,
    'live events': r.live.events, 'live ids': r.live.ids,
  })))
  table(`inbox over ${CONVERSATIONS} conversations (${INBOX_CONNECTIONS} connections)`, results.flatMap((r) => [
    { engine: r.engine, page: 'all open, first 30', conversations: r.conversations, 'req/s': r.firstPage.rps, 'p50 ms': r.firstPage.p50Ms, 'p99 ms': r.firstPage.p99Ms, 'CPU ms/req': r.firstPage.cpuMsPerReq!.toFixed(3), non2xx: r.firstPage.non2xx + r.firstPage.errors },
    { engine: r.engine, page: 'mine (filtered), first 30', conversations: r.conversations, 'req/s': r.mine.rps, 'p50 ms': r.mine.p50Ms, 'p99 ms': r.mine.p99Ms, 'CPU ms/req': r.mine.cpuMsPerReq!.toFixed(3), non2xx: r.mine.non2xx + r.mine.errors },
    { engine: r.engine, page: 'waiting (filtered), first 30', conversations: r.conversations, 'req/s': r.waiting.rps, 'p50 ms': r.waiting.p50Ms, 'p99 ms': r.waiting.p99Ms, 'CPU ms/req': r.waiting.cpuMsPerReq!.toFixed(3), non2xx: r.waiting.non2xx + r.waiting.errors },
  ]))
  console.log(`unacked updates (in flight when autocannon stopped: at most ${CONNECTIONS} per run) are stored and handled too: customer messages may exceed acked by that much`)
  const checks: Limit[] = []
  for (const r of results) {
    checks.push({ what: `${r.engine}: intake acked/s`, value: r.intake.result.okPerS, limit: 100, kind: 'min', unit: '/s' })
    checks.push({ what: `${r.engine}: intake p99`, value: r.intake.result.p99Ms, limit: 1000, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: messages lost`, value: Math.max(0, r.intake.acked - r.counted.rows), limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: messages doubled`, value: r.counted.rows - r.counted.distinct + r.intake.duplicateAcks, limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine}: inbox first page p99`, value: r.firstPage.p99Ms, limit: 100, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: inbox filtered page p99`, value: Math.max(r.mine.p99Ms, r.waiting.p99Ms), limit: 100, kind: 'max', unit: ' ms' })
  }
  const file = writeResult('support', { connections: CONNECTIONS, baseline: base, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
