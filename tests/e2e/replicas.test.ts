import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres, type DatabaseHandle } from '../../server/db/client'
import { rowsOf } from '../../server/db/results'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { createPostgresDatabase, engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * Several app processes on one PostgreSQL, as a scaled deployment runs them: any replica takes
 * webhook updates and API calls, every update, payment and job is handled once, one replica polls
 * (a leader lock), and a replica killed with SIGKILL loses nothing that was acknowledged.
 */
const SECRET = 'replicas-webhook-secret-0123456789'
let fake: FakeBotApi
let database: { url: string; drop(): Promise<void> }
let db: DatabaseHandle
let replicas: RunningApp[] = []
let nextUser = 8810001
const OWNER: InitUser = { id: 8810000, first_name: 'Алексей', language_code: 'ru' }
const newCustomer = (): InitUser & { is_bot: false } => ({ id: nextUser++, first_name: 'Анна', language_code: 'ru', is_bot: false })

const deliver = (app: RunningApp, update: unknown) =>
  fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })
const api = async (app: RunningApp, path: string, init: RequestInit & { user?: InitUser } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...(init.headers as Record<string, string>) }
  const res = await fetch(`${app.url}${path}`, { ...init, headers })
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() }
}
const repliesTo = (chatId: number) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chatId)
const leaders = () => replicas.filter((r) => r.logs().filter((l) => l.msg === 'leader duty started here').length > r.logs().filter((l) => l.msg === 'leader duty stopped here').length)
const settle = () => new Promise((r) => setTimeout(r, 2500))

beforeAll(async () => {
  if (engine !== 'postgres') return
  fake = createFakeBotApi()
  await fake.listen()
  database = await createPostgresDatabase()
  db = await openPostgres(database.url, { max: 2 })
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    // Polling, so that the leader lock is exercised; the webhook route answers in every mode.
    TELEGRAM_UPDATES: 'polling',
    SESSION_SECRET: 'r'.repeat(40),
    PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500',
    ADMIN_TELEGRAM_IDS: String(OWNER.id),
  }
  // The first replica migrates and seeds; the other two start on the same database at once.
  replicas.push(await startApp({ databaseUrl: database.url, env }))
  replicas.push(...(await Promise.all([startApp({ databaseUrl: database.url, env }), startApp({ databaseUrl: database.url, env })])))
}, 240_000)
afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop('SIGKILL')))
  await db?.close()
  await database?.drop()
  await fake?.close()
})

describe.runIf(engine === 'postgres')('three replicas on one PostgreSQL', () => {
  it('polls Telegram from exactly one replica (a leader lock): no 409 conflicts, every update answered once', async () => {
    await eventually(() => leaders().length === 1, 20_000)
    const customers = Array.from({ length: 12 }, newCustomer)
    for (const c of customers) fake.queueUpdate(fake.updates.message(c, 'Здравствуйте'))
    await eventually(() => customers.every((c) => repliesTo(c.id).length >= 1), 30_000)
    await settle()
    expect(customers.map((c) => repliesTo(c.id).length)).toEqual(customers.map(() => 1))
    expect(fake.getUpdatesConflicts).toBe(0)
    expect(leaders()).toHaveLength(1)
  })

  it('accepts webhook updates at any replica and handles each once, even when Telegram delivers it to two', async () => {
    const customers = Array.from({ length: 24 }, newCustomer)
    const answers = await Promise.all(
      customers.map((c, i) => {
        const update = fake.updates.message(c, 'Привет')
        return Promise.all([deliver(replicas[i % 3]!, update), deliver(replicas[(i + 1) % 3]!, update)])
      }),
    )
    expect(answers.flat().map((r) => r.status)).toEqual(answers.flat().map(() => 200))
    await eventually(() => customers.every((c) => repliesTo(c.id).length >= 1), 30_000)
    await settle()
    expect(customers.map((c) => repliesTo(c.id).length)).toEqual(customers.map(() => 1))
    // Every replica took part.
    for (const replica of replicas) expect(replica.logs().some((l) => l.route === '/api/telegram/webhook' && l.status === 200)).toBe(true)
  })

  it('takes an order on one replica and its payment on the others: paid once, one confirmation job, one chat message', async () => {
    const [a, b, c] = replicas as [RunningApp, RunningApp, RunningApp]
    const orders: { id: number; totalMinor: number; currency: string; customer: InitUser & { is_bot: false } }[] = []
    for (let i = 0; i < 4; i++) {
      const customer = newCustomer()
      const product = (await api(a, '/api/catalog/products/ethiopia-yirgacheffe')).body
      expect((await api(b, '/api/cart/items', { method: 'POST', user: customer, body: JSON.stringify({ productId: product.id, quantity: 1 }) })).status).toBe(200)
      const options = (await api(c, '/api/checkout/options', { user: customer })).body
      const order = await api(a, '/api/orders', {
        method: 'POST',
        user: customer,
        headers: { 'idempotency-key': `replica-${customer.id}` },
        body: JSON.stringify({ delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Анна', phone: '+79001234567' }, paymentMethod: 'telegram' }),
      })
      expect(order.status).toBe(201)
      orders.push({ ...order.body, customer })
    }
    for (const order of orders) {
      const update = fake.updates.successfulPayment(order.customer, { currency: order.currency, total_amount: order.totalMinor, invoice_payload: `order:${order.id}`, telegram_payment_charge_id: `rep-${order.id}`, provider_payment_charge_id: `prov-${order.id}` })
      const answers = await Promise.all([deliver(b, update), deliver(c, update), deliver(a, { ...update, update_id: fake.nextUpdateId() })])
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    }
    const paidMessages = (chatId: number) => repliesTo(chatId).filter((m) => String(m.params.text).includes('оплачен'))
    await eventually(() => orders.every((o) => paidMessages(o.customer.id).length >= 1), 30_000)
    await settle()
    expect(orders.map((o) => paidMessages(o.customer.id).length)).toEqual(orders.map(() => 1))
    const payments = rowsOf<{ order_id: number; n: string | number }>(await db.db.execute(sql`select order_id, count(*) as n from payments where order_id in ${sql.raw(`(${orders.map((o) => o.id).join(',')})`)} group by order_id`))
    expect(payments.map((p) => Number(p.n))).toEqual(orders.map(() => 1))
    // pg-boss ran each follow-up job once: none is left, none ran twice (a job row per enqueue, completed once).
    const jobs = rowsOf<{ state: string; n: string | number }>(await db.db.execute(sql`select state, count(*) as n from pgboss.job where name like 'orders.%' or name like 'payments.%' group by state`))
    expect(jobs.filter((j) => !['completed', 'created', 'active'].includes(j.state))).toEqual([])
  })

  it('shows a price changed in /admin on one replica at once on every replica (the page cache purge goes through LISTEN/NOTIFY)', async () => {
    const [a, b, c] = replicas as [RunningApp, RunningApp, RunningApp]
    const product = (await api(a, '/api/catalog/products/cheesecake')).body
    const price = async (app: RunningApp) => {
      const html = await (await fetch(`${app.url}/product/cheesecake`, { headers: { Accept: 'text/html' } })).text()
      return /"price":\s*"?([\d.]+)/.exec(html)?.[1]
    }
    // Every replica renders and caches the page (60 s).
    const before = await Promise.all(replicas.map(price))
    expect(new Set(before).size).toBe(1)
    const changed = await api(a, `/api/admin/catalog/products/${product.id}`, { method: 'PATCH', user: OWNER, body: JSON.stringify({ priceMinor: product.priceMinor + 1500 }) })
    expect(changed.status).toBe(200)
    expect(await price(a)).not.toBe(before[0])
    // The other replicas hear the purge within moments, far sooner than their 60 s cache would expire.
    await eventually(async () => (await price(b)) === (await price(a)) && (await price(c)) === (await price(a)), 5000, 100)
  })

  it('loses nothing when a replica is killed (SIGKILL) in the middle of a burst: the others take its updates and the polling', async () => {
    const leader = leaders()[0]!
    const conflictsBefore = fake.getUpdatesConflicts
    const survivors = replicas.filter((r) => r !== leader)
    const customers = Array.from({ length: 40 }, newCustomer)
    const acknowledged = new Set<number>()
    let killed = false
    await Promise.all(
      customers.map(async (customer, i) => {
        const update = fake.updates.message(customer, 'Есть кто?')
        if (i === 15) {
          leader.process.kill('SIGKILL')
          killed = true
        }
        // As Telegram does: a delivery that fails is retried, here at another replica.
        for (const target of [replicas[i % 3]!, ...survivors]) {
          const ok = await deliver(target, update).then((r) => r.status === 200, () => false)
          if (ok) {
            acknowledged.add(customer.id)
            break
          }
        }
      }),
    )
    expect(killed).toBe(true)
    expect(acknowledged.size).toBe(customers.length)
    // Polling moves to a survivor.
    await eventually(() => leaders().filter((r) => r !== leader).length === 1, 30_000)
    const late = newCustomer()
    fake.queueUpdate(fake.updates.message(late, 'После сбоя'))
    // Updates the killed replica stored but had not handled are picked up by the sweep (every minute).
    await eventually(() => [...customers, late].every((c) => repliesTo(c.id).length >= 1), 100_000, 500)
    const stored = rowsOf<{ status: string; n: string | number }>(await db.db.execute(sql`select status, count(*) as n from telegram_updates group by status`))
    expect(stored.filter((s) => s.status !== 'done')).toEqual([])
    // At most the killed leader's abandoned long poll, ended by the new leader's first call; never a fight.
    expect(fake.getUpdatesConflicts - conflictsBefore).toBeLessThanOrEqual(1)
    replicas = survivors.concat(leader)
  }, 180_000)
})
