/**
 * `account`: the personal account's history for a customer with a long past — 1,000 orders — at 50
 * connections, first page and a search, against the bare node:http baseline answering the bytes
 * captured from the app. The orders are written straight into the database between a first start
 * (migrations, demo catalog) and the measured start, so the setup takes seconds, not an order flow
 * per row. Bookings and support conversations join the history when their modules add their
 * account sections (docs/account.md); this bench then grows their rows the same way.
 */
import { resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { openPglite, openPostgres } from '../server/db/client'
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { createPgDatabase, pgAdminUrl, removeDir, startApp, startBaseline, type App } from './lib'
import { load, type LoadResult } from './load'
import { limits, ratio, table, writeResult, type Limit, type Row } from './report'
import { authHeaders, customer, shopEnv } from './shop'

const CONNECTIONS = 50
const ORDERS = Number(process.env.BENCH_ACCOUNT_ORDERS ?? 1000)
const CUSTOMER = customer(7_600_000, 1)
const CASES = [
  // The same customer's GET /api/me: what recognising them (initData, user row) costs on its own.
  { name: 'reference: GET /api/me (auth only)', path: '/api/me', full: false },
  { name: 'history, first page (20 of the newest)', path: '/api/account/history?limit=20', full: true },
  { name: 'history, search by item name', path: `/api/account/history?limit=20&q=${encodeURIComponent('капуч')}`, full: true },
]

/** Writes the customer and ORDERS orders of theirs (one line each, statuses mixed, an hour apart). */
async function seedOrders(target: { databaseUrl?: string; dataDir: string }) {
  const handle = target.databaseUrl ? await openPostgres(target.databaseUrl) : await openPglite({ dataDir: resolve(target.dataDir, 'pglite') })
  try {
    await handle.db.execute(sql`insert into users (telegram_id, first_name, language_code) values (${CUSTOMER.id}, ${CUSTOMER.first_name}, 'ru') on conflict do nothing`)
    await handle.db.execute(sql`
      insert into orders (number, user_id, status, currency, items_total_minor, delivery_minor, total_minor, delivery_method, pickup_point_id, contact_name, contact_phone, payment_method, idempotency_key, created_at)
      select 'B' || g, ${CUSTOMER.id}, (array['new', 'paid', 'in_progress', 'ready', 'done', 'cancelled'])[1 + g % 6], 'RUB', 25000, 0, 25000, 'pickup',
             (select min(id) from pickup_points), 'Покупатель', '+79000000000', 'cash_on_delivery', 'bench-' || g, now() - g * interval '1 hour'
      from generate_series(1, ${ORDERS}) g`)
    await handle.db.execute(sql`
      insert into order_items (order_id, product_id, name, unit_price_minor, quantity, total_minor)
      select o.id, p.id, p.name, 25000, 1, 25000 from orders o, (select id, name from products order by id limit 1) p where o.user_id = ${CUSTOMER.id}`)
  } finally {
    await handle.close()
  }
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  let app: App | undefined
  try {
    const first = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
    await first.stop()
    await seedOrders({ databaseUrl: database?.url, dataDir: first.dataDir })
    app = await startApp({ databaseUrl: database?.url, dataDir: first.dataDir, env: shopEnv(fake) })
    const headers = authHeaders(CUSTOMER, fake.token)
    const captured: Record<string, { contentType: string; body: string }> = {}
    for (const c of CASES) {
      const res = await fetch(app.url + c.path, { headers })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${body.slice(0, 200)}`)
      if (c.full && (JSON.parse(body) as { items: unknown[] }).items.length !== 20) throw new Error(`${c.path}: expected a full page`)
      captured[c.path] = { contentType: 'application/json', body }
    }
    const baseline = await startBaseline(captured)
    const out: { name: string; bytes: number; base: LoadResult; app: LoadResult }[] = []
    try {
      for (const c of CASES) {
        const base = await load(baseline.url, CONNECTIONS, { path: c.path, headers }, baseline.pid)
        const measured = await load(app.url, CONNECTIONS, { path: c.path, headers }, app.pid)
        out.push({ name: c.name, bytes: Buffer.byteLength(captured[c.path]!.body), base, app: measured })
      }
    } finally {
      await baseline.stop()
    }
    return { engine, cases: out }
  } finally {
    await app?.stop()
    await fake.close()
    if (app) removeDir(app.dataDir)
    await database?.drop()
  }
}

export async function account() {
  console.log(`\n== account: the history of a customer with ${ORDERS} orders at ${CONNECTIONS} connections vs baseline`)
  const results = [await runEngine('pglite')]
  if (pgAdminUrl) results.push(await runEngine('postgres'))
  const rows: Row[] = []
  for (const r of results) {
    for (const c of r.cases) {
      const cells = (server: string, x: LoadResult, vs: string): Row => ({ engine: r.engine, request: c.name, server, bytes: c.bytes, 'req/s': x.rps, 'p50 ms': x.p50Ms, 'p99 ms': x.p99Ms, 'CPU ms/req': x.cpuMsPerReq!.toFixed(3), 'vs baseline': vs, non2xx: x.non2xx, errors: x.errors })
      rows.push(cells('baseline', c.base, '1.00x'), cells('app', c.app, `${ratio(c.app.rps, c.base.rps)} req/s, ${ratio(c.app.cpuMsPerReq!, c.base.cpuMsPerReq!)} CPU`))
    }
  }
  table(`GET /api/account/history, one customer with ${ORDERS} orders (measured run)`, rows)
  const checks: Limit[] = []
  for (const r of results) {
    for (const c of r.cases) {
      checks.push({ what: `${r.engine} ${c.name}: p99`, value: c.app.p99Ms, limit: 300, kind: 'max', unit: ' ms' })
      checks.push({ what: `${r.engine} ${c.name}: answers other than 200`, value: c.app.non2xx + c.app.errors, limit: 0, kind: 'max' })
    }
  }
  const file = writeResult('account', { connections: CONNECTIONS, orders: ORDERS, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
