/**
 * `chaos`: the reliability suite. Each scenario breaks something under load and then counts, in the
 * database and at the fake Bot API, whether anything acknowledged was lost or done twice.
 *
 * - kill: `kill -9` of the app during a burst of successful_payment updates through the webhook,
 *   restart on the same data, Telegram redelivers what was not acknowledged.
 * - postgres: a private PostgreSQL server (bench/private-postgres.ts) crashed and restarted while
 *   webhook updates come in; /api/ready must say so quickly, the app must recover by itself.
 * - disk: DATA_DIR on a small tmpfs filled up while the app (PGlite) takes updates; clear errors,
 *   then space returns, restart, and the data is intact.
 *
 * The same functions run in CI in a short form (tests/e2e/chaos.test.ts) with smaller counts.
 */
import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFakeBotApi, type FakeBotApi } from '../server/telegram/fake-bot-api'
import { BENCH_METRICS_TOKEN, createPgDatabase, pgAdminUrl, readMetric, removeDir, sleep, startApp, type App } from './lib'
import { privatePostgresUnavailable, startPrivatePostgres } from './private-postgres'
import { fmt, limits, table, writeResult, type Limit } from './report'
import { api, customer, pickupPoint, placeOrder, pool, products, raiseStock, shopEnv, WEBHOOK_SECRET, type PlacedOrder } from './shop'
import { withDb, type DbTarget } from './stored'

const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }
type Log = (line: string) => void
const now = () => performance.now()

/** What Telegram does with one update: POST it; 200 is an acknowledgement, anything else (or no answer) means "deliver again". */
async function deliver(url: string, body: string, timeoutMs = 10_000): Promise<{ status: number; text: string; ms: number }> {
  const t0 = now()
  try {
    const res = await fetch(`${url}/api/telegram/webhook`, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout(timeoutMs) })
    return { status: res.status, text: await res.text(), ms: now() - t0 }
  } catch (error) {
    return { status: 0, text: String((error as Error).message), ms: now() - t0 }
  }
}

/** Redelivers `bodies` until each is acknowledged (Telegram keeps trying for a day; we give up after `deadlineMs`). */
async function redeliverAll(url: string, bodies: string[], concurrency: number, deadlineMs: number, acked: Set<number>) {
  const left = [...bodies]
  const until = now() + deadlineMs
  await pool(Array.from({ length: concurrency }, (_, i) => i), concurrency, async () => {
    while (left.length && now() < until) {
      const body = left.shift()!
      const answer = await deliver(url, body)
      if (answer.status === 200) acked.add(updateIdOf(body))
      else {
        left.push(body)
        await sleep(200)
      }
    }
  })
  return left.length
}

/** Keeps what a failed scenario's app printed in a file (the path goes into the error log). */
function keepTail(scenario: string, text: string) {
  const file = join(tmpdir(), `tma-chaos-${scenario}-${process.pid}.log`)
  writeFileSync(file, text)
  return file
}

const updateIdOf = (body: string) => (JSON.parse(body) as { update_id: number }).update_id

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 500, state?: () => Promise<unknown>) {
  const t0 = now()
  while (now() - t0 < timeoutMs) {
    try {
      if (await check()) return now() - t0
    } catch {}
    await sleep(everyMs)
  }
  const seen = state ? await state().then((s) => ` (${JSON.stringify(s)})`, (e: Error) => ` (state unreadable: ${e.message})`) : ''
  throw new Error(`chaos: ${what} not reached within ${timeoutMs / 1000} s${seen}`)
}

/** Stored updates not done yet (pending, processing, failed), from /metrics (read from the database). */
async function updatesNotDone(url: string) {
  let n = 0
  for (const status of ['pending', 'processing', 'failed']) n += await readMetric(url, `telegram_updates_stored{status="${status}"}`)
  return n
}

async function queueBusy(url: string, queue: string) {
  return (await readMetric(url, `queue_jobs_queued{queue="${queue}"}`)) + (await readMetric(url, `queue_jobs_active{queue="${queue}"}`))
}

// ---------------------------------------------------------------------------------------------
// kill -9 during a payment burst

export interface KillOptions {
  engine: 'pglite' | 'postgres'
  /** PostgreSQL admin URL (a fresh database is created there) for engine `postgres`. */
  adminUrl?: string
  orders: number
  updates: number
  concurrency: number
  /** Kill after this many answers of the burst. */
  killAfter: number
  log?: Log
}

export interface KillResult {
  engine: string
  orders: number
  sent: number
  distinctIds: number
  ackedBeforeKill: number
  unansweredAtKill: number
  restartMs: number
  recoveredS: number
  /** Acknowledged update ids without a stored row handled to the end. */
  lost: number
  paymentRows: number
  distinctCharges: number
  ordersPaid: number
  paidTransitions: number
  confirmations: number
  customersWithout: number
  customersWithSeveral: number
  /**
   * Of those, customers whose first message reached Telegram in the 2 s before the kill and the
   * second after the restart: a job killed between Telegram's answer and its own completion is run
   * again, and Telegram offers no way to ask whether a message arrived. Any other double is a bug.
   */
  severalInFlightAtKill: number
  updatesNotDone: number
}

/** Each order's charge delivered `updates / orders` times: half redeliveries (same update_id), half replays (new update_id); shuffled. */
export function paymentBodies(fake: FakeBotApi, orders: PlacedOrder[], updates: number, base: number): string[] {
  const per = Math.max(2, Math.ceil(updates / orders.length))
  const bodies: string[] = []
  orders.forEach((o, k) => {
    const update = fake.updates.successfulPayment(o.user, { currency: o.currency, total_amount: o.totalMinor, invoice_payload: `order:${o.id}`, telegram_payment_charge_id: `chaos-charge-${o.id}`, provider_payment_charge_id: `prov-${o.id}` })
    for (let j = 0; j < per; j++) bodies.push(JSON.stringify({ ...update, update_id: j < per / 2 ? base + k : base + orders.length + k * per + j }))
  })
  let seed = 7
  for (let i = bodies.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    const j = seed % (i + 1)
    ;[bodies[i], bodies[j]] = [bodies[j]!, bodies[i]!]
  }
  return bodies.slice(0, Math.max(updates, orders.length * 2))
}

export async function killDuringPayments(options: KillOptions): Promise<KillResult> {
  const log = options.log ?? (() => {})
  const database = options.engine === 'postgres' ? await createPgDatabase(options.adminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const env = shopEnv(fake)
  let app: App | undefined = await startApp({ databaseUrl: database?.url, env, readyTimeoutMs: 300_000 })
  const dataDir = app.dataDir
  try {
    await fake.waitFor('setMyCommands', undefined, 30_000)
    const items = await products(app.url, ['americano', 'cappuccino', 'flat-white'])
    for (const p of items) await raiseStock(app.url, fake.token, p.id, 100_000)
    const base = 8_100_000 + (options.engine === 'postgres' ? 50_000 : 0)
    const pickup = await pickupPoint(app.url, fake.token, customer(base, 0))
    const url0 = app.url
    const orders = await pool(Array.from({ length: options.orders }, (_, i) => i), 4, (i) => placeOrder(url0, fake.token, customer(base, i), items[i % items.length]!, pickup))
    log(`${options.engine}: ${orders.length} orders awaiting payment`)
    const UPDATE_BASE = 970_000_000
    const bodies = paymentBodies(fake, orders, options.updates, UPDATE_BASE)
    const customers = new Set(orders.map((o) => o.user.id))
    const confirmations = () => fake.callsOf('sendMessage').filter((c) => customers.has(Number(c.params.chat_id)) && /оплачен|paid/i.test(String(c.params.text)))

    // The burst; after `killAfter` answers, SIGKILL. Whatever had no 200 is delivered again later, as Telegram does.
    const acked = new Set<number>()
    const unacked: string[] = []
    let next = 0, answered = 0, killed = false, killedAt = 0
    const victim = app
    await pool(Array.from({ length: options.concurrency }, (_, i) => i), options.concurrency, async () => {
      while (!killed && next < bodies.length) {
        const body = bodies[next++]!
        const answer = await deliver(victim.url, body)
        if (answer.status === 200) acked.add(updateIdOf(body))
        else unacked.push(body)
        if (++answered >= options.killAfter && !killed) {
          killed = true
          killedAt = Date.now()
          victim.child.kill('SIGKILL')
        }
      }
    })
    await victim.stop()
    const ackedBeforeKill = acked.size
    const rest = bodies.slice(next)
    log(`${options.engine}: killed after ${answered} answers (${ackedBeforeKill} update ids acknowledged, ${unacked.length} without an answer)`)

    const t0 = now()
    const restartedAt = Date.now()
    app = await startApp({ dataDir, databaseUrl: database?.url, env, readyTimeoutMs: 300_000 })
    const restartMs = now() - t0
    const left = await redeliverAll(app.url, [...unacked, ...rest], options.concurrency, 240_000, acked)
    if (left) throw new Error(`chaos kill: ${left} updates never acknowledged after the restart`)
    const url = app.url
    // Updates leased by the killed process come back after their lease (60 s) through the sweep (every minute).
    const recoveredMs = await waitUntil('every order confirmed and every update handled', async () =>
      confirmations().length >= orders.length && (await updatesNotDone(url)) === 0 && (await queueBusy(url, 'notifications.order-status')) === 0, 300_000, 500,
    async () => ({ confirmations: confirmations().length, orders: orders.length, updatesNotDone: await updatesNotDone(url), statusQueue: await queueBusy(url, 'notifications.order-status') }))
    await sleep(3000)
    const notDone = await updatesNotDone(url)
    if (database) await app.stop()
    else await app.stop()
    const target: DbTarget = database ? { databaseUrl: database.url } : { dataDir }
    const ids = orders.map((o) => o.id)
    const counted = await withDb(target, async (query) => {
      const done = new Set((await query<{ id: string | number }>(`select update_id as id from telegram_updates where update_id >= $1 and status = 'done'`, [UPDATE_BASE])).map((r) => Number(r.id)))
      const row = (await query<{ payments: number; charges: number; paid: number; transitions: number }>(`select
        (select count(*)::int from payments where telegram_payment_charge_id like 'chaos-charge-%') as payments,
        (select count(distinct telegram_payment_charge_id)::int from payments where telegram_payment_charge_id like 'chaos-charge-%') as charges,
        (select count(*)::int from orders where id = any($1::int[]) and status = 'paid') as paid,
        (select count(*)::int from order_status_history where order_id = any($1::int[]) and to_status = 'paid') as transitions`, [ids]))[0]!
      return { done, ...row }
    })
    const perCustomer = new Map<number, Date[]>()
    for (const c of confirmations()) perCustomer.set(Number(c.params.chat_id), [...(perCustomer.get(Number(c.params.chat_id)) ?? []), c.at])
    const counts = [...customers].map((id) => perCustomer.get(id)?.length ?? 0)
    // Sent by the killed process (received by the fake before the new one started, at most 2 s before
    // the kill), then once more by the new process.
    const inFlightAtKill = (times: Date[]) => times.length === 2 && times[0]!.getTime() >= killedAt - 2000 && times[0]!.getTime() < restartedAt && times[1]!.getTime() >= restartedAt
    return {
      engine: options.engine, orders: orders.length, sent: bodies.length, distinctIds: new Set(bodies.map(updateIdOf)).size,
      ackedBeforeKill, unansweredAtKill: unacked.length, restartMs, recoveredS: recoveredMs / 1000,
      lost: [...acked].filter((id) => !counted.done.has(id)).length,
      paymentRows: counted.payments, distinctCharges: counted.charges, ordersPaid: counted.paid, paidTransitions: counted.transitions,
      confirmations: confirmations().length, customersWithout: counts.filter((n) => n === 0).length, customersWithSeveral: counts.filter((n) => n > 1).length,
      severalInFlightAtKill: [...perCustomer.values()].filter(inFlightAtKill).length,
      updatesNotDone: notDone,
    }
  } catch (error) {
    if (app) log(`app output (last 64 KB): ${keepTail('kill', app.tail())}`)
    throw error
  } finally {
    await app?.stop()
    await fake.close()
    removeDir(dataDir)
    await database?.drop()
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL crashed and restarted under load

export interface PostgresRestartOptions {
  /** Seconds of load before the crash, and the time the server stays down. */
  loadBeforeS: number
  downS: number
  concurrency: number
  log?: Log
}

export interface PostgresRestartResult {
  sent: number
  acked: number
  /** While the server was down: /api/ready answers (all must be 503), the slowest, and /api/health. */
  readyDuringDown: { answers: number; not503: number; slowestMs: number }
  healthDuringDown: { answers: number; not200: number }
  /** From the crash until /api/ready said 503; from the restart until it said 200 again. */
  detectedMs: number
  recoveredMs: number
  webhookDuringDown: { answered: number; ok: number; other: Record<string, number>; slowestMs: number }
  lost: number
  replies: number
  chatsWithout: number
  chatsWithSeveral: number
  notDone: number
}

export async function postgresRestart(options: PostgresRestartOptions): Promise<PostgresRestartResult> {
  const log = options.log ?? (() => {})
  const why = privatePostgresUnavailable()
  if (why) throw new Error(`chaos postgres: ${why}`)
  const pg = await startPrivatePostgres()
  const fake = createFakeBotApi()
  await fake.listen()
  let app: App | undefined
  try {
    app = await startApp({ databaseUrl: pg.url, env: shopEnv(fake), readyTimeoutMs: 300_000 })
    await fake.waitFor('setMyCommands', undefined, 30_000)
    const url = app.url
    // One update per chat, so "one reply per chat" counts lost and doubled handling.
    let nextUser = 8_300_000
    const sentBodies = new Map<number, string>()
    const acked = new Set<number>()
    const unacked: string[] = []
    let phase: 'before' | 'down' | 'after' = 'before'
    const duringDown = { answered: 0, ok: 0, other: {} as Record<string, number>, slowestMs: 0 }
    let stopLoad = false
    const worker = async () => {
      while (!stopLoad) {
        const user = { id: nextUser++, is_bot: false as const, first_name: 'Гость', language_code: 'ru' }
        const update = fake.updates.message(user, 'Здравствуйте')
        const body = JSON.stringify(update)
        sentBodies.set(update.update_id, body)
        const wasDown = phase === 'down'
        const answer = await deliver(url, body, 30_000)
        if (wasDown) {
          duringDown.answered++
          duringDown.slowestMs = Math.max(duringDown.slowestMs, answer.ms)
          if (answer.status === 200) duringDown.ok++
          else {
            const code = answer.status ? `${answer.status} ${(/"code":"([^"]+)"/.exec(answer.text) ?? [])[1] ?? ''}`.trim() : 'no answer'
            duringDown.other[code] = (duringDown.other[code] ?? 0) + 1
          }
        }
        if (answer.status === 200) acked.add(update.update_id)
        else {
          unacked.push(body)
          await sleep(100)
        }
      }
    }
    const load = Promise.all(Array.from({ length: options.concurrency }, worker))
    await sleep(options.loadBeforeS * 1000)
    log(`postgres: ${acked.size} updates acknowledged; crashing the server (pg_ctl stop -m immediate)`)
    const crashAt = now()
    pg.stop('immediate')
    phase = 'down'
    const readyDuringDown = { answers: 0, not503: 0, slowestMs: 0 }
    const healthDuringDown = { answers: 0, not200: 0 }
    let detectedMs = NaN
    while (now() - crashAt < options.downS * 1000) {
      const t0 = now()
      const ready = await fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0)
      const ms = now() - t0
      readyDuringDown.answers++
      readyDuringDown.slowestMs = Math.max(readyDuringDown.slowestMs, ms)
      if (ready !== 503) readyDuringDown.not503++
      else if (Number.isNaN(detectedMs)) detectedMs = now() - crashAt
      const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0)
      healthDuringDown.answers++
      if (health !== 200) healthDuringDown.not200++
      await sleep(250)
    }
    log(`postgres: down for ${options.downS} s, /api/ready 503 after ${fmt(detectedMs, 0)} ms; starting the server again`)
    pg.start()
    const startedAt = now()
    phase = 'after'
    const recoveredMs = await waitUntil('/api/ready = 200 after the restart', async () => (await fetch(`${url}/api/ready`)).status === 200, 120_000, 100)
    await sleep(3000)
    stopLoad = true
    await load
    log(`postgres: ready again ${fmt(recoveredMs, 0)} ms after the server started; redelivering ${unacked.length} unacknowledged updates`)
    const left = await redeliverAll(url, unacked, options.concurrency, 120_000, acked)
    if (left) throw new Error(`chaos postgres: ${left} updates never acknowledged after recovery`)
    const chats = [...sentBodies.values()].map((b) => (JSON.parse(b) as { message: { chat: { id: number } } }).message.chat.id)
    const replies = (chat: number) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat).length
    await waitUntil('every update handled and answered', async () => (await updatesNotDone(url)) === 0 && chats.every((c) => replies(c) >= 1), 600_000, 500, async () => ({
      updatesNotDone: await updatesNotDone(url),
      chatsWithoutReply: chats.filter((c) => replies(c) === 0).length,
      chats: chats.length,
      queues: Object.fromEntries(await Promise.all(['support.deliver-message', 'notifications.chat-message', 'telegram.retry-update', 'support.notify-operators'].map(async (q) => [q, await queueBusy(url, q)]))),
    }))
    // The queue must work again too: the next replies fail at Telegram once, so these updates are handled by queued retries.
    const retried: number[] = []
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 3)
    for (let i = 0; i < 3; i++) {
      const update = fake.updates.message({ id: nextUser++, is_bot: false, first_name: 'Гость', language_code: 'ru' }, 'Здравствуйте')
      sentBodies.set(update.update_id, JSON.stringify(update))
      retried.push(update.message.chat.id)
      if ((await redeliverAll(url, [JSON.stringify(update)], 1, 30_000, acked)) > 0) throw new Error('chaos postgres: an update after recovery was not acknowledged')
    }
    chats.push(...retried)
    // A failed reply is a call at the fake too: those chats see two calls, the second one delivered.
    const expected = (chat: number) => (retried.includes(chat) ? 2 : 1)
    await waitUntil('the retried updates handled from the queue', async () => (await updatesNotDone(url)) === 0 && retried.every((c) => replies(c) >= 2), 120_000).catch(async (error) => {
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } }).then((r) => r.text(), () => '')
      log(`stuck: ${metrics.split('\n').filter((l) => /^(queue_jobs_(queued|active|failed)|telegram_updates_stored)/.test(l) && !/ 0$/.test(l)).join('; ')}`)
      throw error
    })
    await sleep(3000)
    const notDone = await updatesNotDone(url)
    const done = await withDb({ databaseUrl: pg.url }, async (query) =>
      new Set((await query<{ id: string | number }>(`select update_id as id from telegram_updates where status = 'done'`)).map((r) => Number(r.id))))
    void startedAt
    return {
      sent: sentBodies.size, acked: acked.size, readyDuringDown, healthDuringDown, detectedMs, recoveredMs, webhookDuringDown: duringDown,
      lost: [...acked].filter((id) => !done.has(id)).length,
      replies: chats.reduce((s, c) => s + replies(c), 0), chatsWithout: chats.filter((c) => replies(c) < expected(c)).length, chatsWithSeveral: chats.filter((c) => replies(c) > expected(c)).length,
      notDone,
    }
  } catch (error) {
    // What every session of the private server is doing (a statement waiting on a lock, a connection idle in a transaction).
    const sessions = await withDb({ databaseUrl: pg.url }, (query) => query(`select pid, application_name, backend_type, state, wait_event_type, wait_event, now() - xact_start as in_transaction, now() - state_change as in_state, left(query, 300) as query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)).catch((e: unknown) => String(e))
    log(`postgres sessions at the failure: ${JSON.stringify(sessions)}`)
    if (app) log(`app output (last 64 KB): ${keepTail('postgres', app.tail() + '\n--- postgres log ---\n' + pg.log())}`)
    throw error
  } finally {
    await app?.stop()
    await fake.close()
    if (app) removeDir(app.dataDir)
    pg.destroy()
  }
}

// ---------------------------------------------------------------------------------------------
// Disk full for DATA_DIR (PGlite)

/** Why a tmpfs cannot be mounted here, or undefined when it can (we try a tiny one). */
export function tmpfsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux'
  const probe = mkdtempSync(join(tmpdir(), 'tma-chaos-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'pipe' })
    execFileSync('umount', [probe], { stdio: 'pipe' })
    return undefined
  } catch (error) {
    return `mounting a tmpfs is not permitted here (${String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0]})`
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
}

export interface DiskFullOptions {
  /** Size of the tmpfs for DATA_DIR, MB (must hold a fresh database with room to spare). */
  sizeMb: number
  /** Updates sent while the disk is full. */
  updates: number
  log?: Log
}

export interface DiskFullResult {
  ackedBefore: number
  whileFull: { sent: number; ok: number; byCode: Record<string, number> }
  readyWhileFull: { status: number; storage?: unknown }
  writeWhileFull: { status: number; code?: string }
  loggedDiskFull: boolean
  /** After space returned and a restart: integrity and data. */
  restartedReady: boolean
  ackedAfter: number
  lost: number
  integrityErrors: string[]
}

/** Writes zeros into `file` until the file system is full; returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, 'w')
  let written = 0
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
      const chunk = Buffer.alloc(size)
      for (;;) {
        try {
          written += writeSync(fd, chunk)
        } catch {
          break
        }
      }
    }
  } finally {
    closeSync(fd)
  }
  return written
}

export async function diskFull(options: DiskFullOptions): Promise<DiskFullResult> {
  const log = options.log ?? (() => {})
  const mountPoint = mkdtempSync(join(tmpdir(), 'tma-chaos-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${options.sizeMb}m`, 'tmpfs', mountPoint], { stdio: 'pipe' })
  const fake = createFakeBotApi()
  await fake.listen()
  const env = shopEnv(fake)
  let app: App | undefined
  try {
    app = await startApp({ dataDir: mountPoint, env, readyTimeoutMs: 300_000 })
    await fake.waitFor('setMyCommands', undefined, 30_000)
    let nextUser = 8_600_000
    const acked = new Set<number>()
    const message = () => {
      const update = fake.updates.message({ id: nextUser++, is_bot: false, first_name: 'Гость', language_code: 'ru' }, 'Здравствуйте')
      return { id: update.update_id, body: JSON.stringify(update) }
    }
    for (let i = 0; i < 20; i++) {
      const m = message()
      if ((await deliver(app.url, m.body)).status === 200) acked.add(m.id)
    }
    const ackedBefore = acked.size
    const free = statfsSync(mountPoint)
    log(`disk: ${ackedBefore} updates stored; filling the ${options.sizeMb} MB DATA_DIR (${fmt((free.bavail * free.bsize) / 2 ** 20, 1)} MB free)`)
    const filler = join(mountPoint, 'filler')
    fill(filler)
    const whileFull = { sent: 0, ok: 0, byCode: {} as Record<string, number> }
    const url = app.url
    await pool(Array.from({ length: options.updates }, (_, i) => i), 8, async () => {
      const m = message()
      const answer = await deliver(url, m.body)
      whileFull.sent++
      if (answer.status === 200) {
        whileFull.ok++
        acked.add(m.id)
      } else {
        const code = answer.status ? `${answer.status} ${(/"code":"([^"]+)"/.exec(answer.text) ?? [])[1] ?? ''}`.trim() : 'no answer'
        whileFull.byCode[code] = (whileFull.byCode[code] ?? 0) + 1
      }
    })
    const ready = await fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(10_000) }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => ({}))) as { checks?: Record<string, unknown> } }), () => ({ status: 0, body: {} as { checks?: Record<string, unknown> } }))
    const cartAnswer = await api<{ code?: string }>(url, '/api/cart/items', { method: 'POST', user: customer(8_700_000, 0), token: fake.token, body: { productId: 1, quantity: 1 } }).catch(() => ({ status: 0, body: {} as { code?: string } }))
    const write = { status: cartAnswer.status, code: cartAnswer.body?.code }
    const loggedDiskFull = /storage_full|no space left/i.test(app.tail())
    log(`disk: while full ${whileFull.ok}/${whileFull.sent} acknowledged, answers ${JSON.stringify(whileFull.byCode)}; /api/ready ${ready.status}`)

    // Space returns; the app is restarted (as a supervisor would) and must find everything it acknowledged.
    rmSync(filler)
    await app.stop()
    app = undefined
    let restartedReady = true
    try {
      app = await startApp({ dataDir: mountPoint, env, readyTimeoutMs: 300_000 })
    } catch (error) {
      restartedReady = false
      log(`disk: restart failed: ${(error as Error).message.slice(0, 2000)}`)
    }
    let ackedAfter = 0
    if (app) {
      for (let i = 0; i < 20; i++) {
        const m = message()
        if ((await deliver(app.url, m.body)).status === 200) {
          acked.add(m.id)
          ackedAfter++
        }
      }
      const u = app.url
      await waitUntil('updates handled after the restart', async () => (await updatesNotDone(u)) === 0, 180_000).catch(() => 0)
      await app.stop()
      app = undefined
    }
    const integrityErrors: string[] = []
    let lost = acked.size
    if (restartedReady) {
      await withDb({ dataDir: mountPoint }, async (query) => {
        const ids = new Set((await query<{ id: string | number }>('select update_id as id from telegram_updates')).map((r) => Number(r.id)))
        lost = [...acked].filter((id) => !ids.has(id)).length
        // Every index of the app's tables still agrees with its table (amcheck is not in PGlite: compare an index scan with a sequential scan).
        for (const table of ['telegram_updates', 'orders', 'users', 'products']) {
          const count = async (settings: string[]) => {
            for (const setting of settings) await query(`set ${setting}`)
            return (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n
          }
          const viaIndex = await count(['enable_seqscan = off', 'enable_indexscan = on', 'enable_bitmapscan = on'])
          const viaSeq = await count(['enable_seqscan = on', 'enable_indexscan = off', 'enable_bitmapscan = off'])
          if (viaIndex !== viaSeq) integrityErrors.push(`${table}: ${viaIndex} rows by index, ${viaSeq} by a sequential scan`)
        }
        const [check] = await query<{ n: number }>(`select count(*)::int as n from telegram_updates where update_id is null or payload is null`)
        if (check!.n) integrityErrors.push(`telegram_updates: ${check!.n} rows without id or payload`)
      }).catch((error) => integrityErrors.push(`could not open the database: ${(error as Error).message}`))
    }
    return {
      ackedBefore, whileFull, readyWhileFull: { status: ready.status, storage: ready.body.checks?.storage }, writeWhileFull: write,
      loggedDiskFull, restartedReady, ackedAfter, lost, integrityErrors,
    }
  } catch (error) {
    if (app) log(`app output (last 64 KB): ${keepTail('disk', app.tail())}`)
    throw error
  } finally {
    await app?.stop()
    await fake.close()
    try {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' })
    } catch {}
    rmSync(mountPoint, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// The bench: `npm run bench -- chaos`

const KILL_ORDERS = Number(process.env.BENCH_CHAOS_ORDERS ?? 200)
const KILL_UPDATES = Number(process.env.BENCH_CHAOS_UPDATES ?? 5000)

export async function chaos() {
  console.log(`\n== chaos: kill -9 during ${fmt(KILL_UPDATES, 0)} successful_payment updates (${KILL_ORDERS} orders); PostgreSQL crash under load; disk full (PGlite)`)
  const log = (line: string) => console.log(line)
  const kills: KillResult[] = []
  const engines: ('pglite' | 'postgres')[] = pgAdminUrl ? ['pglite', 'postgres'] : ['pglite']
  for (const engine of engines) {
    kills.push(await killDuringPayments({ engine, adminUrl: pgAdminUrl, orders: KILL_ORDERS, updates: KILL_UPDATES, concurrency: 40, killAfter: Math.floor(KILL_UPDATES * 0.4), log }))
  }
  table('kill -9 at 40% of the burst, restart on the same data, unacknowledged updates delivered again', kills.map((r) => ({
    engine: r.engine, orders: r.orders, updates: r.sent, 'distinct ids': r.distinctIds, 'acked before kill': r.ackedBeforeKill, 'no answer at kill': r.unansweredAtKill,
    'restart s': r.restartMs / 1000, 'all handled after s': r.recoveredS, lost: r.lost, 'payment rows': r.paymentRows, 'orders paid': r.ordersPaid, '->paid history': r.paidTransitions,
    confirmations: r.confirmations, 'customers w/o': r.customersWithout, 'customers >1': r.customersWithSeveral, 'of them in flight at the kill': r.severalInFlightAtKill,
  })))

  const why = privatePostgresUnavailable()
  const pg = why ? undefined : await postgresRestart({ loadBeforeS: 10, downS: 15, concurrency: 20, log })
  if (why) console.log(`postgres restart: skipped (${why})`)
  if (pg) {
    table('PostgreSQL crashed (immediate stop) for 15 s under webhook load, then started again; the app is not restarted', [{
      sent: pg.sent, acked: pg.acked, 'ready answers while down': pg.readyDuringDown.answers, 'ready not 503': pg.readyDuringDown.not503, 'slowest ready ms': pg.readyDuringDown.slowestMs,
      'health not 200': pg.healthDuringDown.not200, '503 after ms': pg.detectedMs, 'ready again after ms': pg.recoveredMs, lost: pg.lost, 'chats w/o reply': pg.chatsWithout, 'chats >1 reply': pg.chatsWithSeveral,
    }])
    console.log(`webhook answers while down: ${JSON.stringify(pg.webhookDuringDown)}`)
  }

  const noTmpfs = tmpfsUnavailable()
  const disk = noTmpfs ? undefined : await diskFull({ sizeMb: 160, updates: 400, log })
  if (noTmpfs) console.log(`disk full: skipped (${noTmpfs})`)
  if (disk) {
    table('DATA_DIR (PGlite) on a 160 MB tmpfs filled up, 400 updates sent, space freed, restart', [{
      'acked before': disk.ackedBefore, 'sent while full': disk.whileFull.sent, 'acked while full': disk.whileFull.ok, 'ready while full': disk.readyWhileFull.status,
      'write while full': `${disk.writeWhileFull.status} ${disk.writeWhileFull.code ?? ''}`, logged: disk.loggedDiskFull ? 'yes' : 'no', 'restart ready': disk.restartedReady ? 'yes' : 'no',
      'acked after': disk.ackedAfter, lost: disk.lost, 'integrity errors': disk.integrityErrors.length,
    }])
    console.log(`answers while full: ${JSON.stringify(disk.whileFull.byCode)}; /api/ready storage check: ${JSON.stringify(disk.readyWhileFull.storage)}`)
  }

  const checks: Limit[] = []
  for (const r of kills) {
    checks.push({ what: `${r.engine} kill -9: acknowledged updates lost`, value: r.lost, limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine} kill -9: payment rows - orders`, value: Math.abs(r.paymentRows - r.orders), limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine} kill -9: orders paid once, off by`, value: Math.abs(r.ordersPaid - r.orders) + Math.abs(r.paidTransitions - r.orders), limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine} kill -9: customers without a confirmation`, value: r.customersWithout, limit: 0, kind: 'max' })
    checks.push({ what: `${r.engine} kill -9: confirmations doubled, other than one in flight at the kill`, value: r.customersWithSeveral - r.severalInFlightAtKill, limit: 0, kind: 'max' })
  }
  if (pg) {
    checks.push({ what: 'postgres crash: /api/ready not 503 while down', value: pg.readyDuringDown.not503, limit: 0, kind: 'max' })
    checks.push({ what: 'postgres crash: slowest /api/ready while down', value: pg.readyDuringDown.slowestMs, limit: 3000, kind: 'max', unit: ' ms' })
    checks.push({ what: 'postgres crash: acknowledged updates lost', value: pg.lost, limit: 0, kind: 'max' })
    checks.push({ what: 'postgres crash: chats answered other than once', value: pg.chatsWithout + pg.chatsWithSeveral, limit: 0, kind: 'max' })
  }
  if (disk) {
    checks.push({ what: 'disk full: acknowledged updates lost', value: disk.lost, limit: 0, kind: 'max' })
    checks.push({ what: 'disk full: integrity errors after restart', value: disk.integrityErrors.length, limit: 0, kind: 'max' })
  }
  const file = writeResult('chaos', { kills, pg, disk, limits: limits(checks) })
  console.log(`written ${file}`)
}
