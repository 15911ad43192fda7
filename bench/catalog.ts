/**
 * `catalog`: the storefront's reads and the cart's write, at 50 (reads) / 20 (cart) connections.
 * - a filter: GET /api/catalog/products?category=coffee&inStock=true&sort=price_asc
 * - a search, the query rotated per request over Russian/English words and typos; and one over
 *   Russian typed in Latin letters or with the wrong keyboard layout ("kapuchino", "rfgexbyj")
 * - the SSR product page /product/cappuccino (GET / when this build has no such route)
 * each against the bare node:http baseline answering the bytes captured from the app first; and
 * POST /api/cart/items for distinct customers (own initData each), stock raised by the owner first.
 */
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { on } from 'node:events'
import { Worker } from 'node:worker_threads'
import { benchEngines, cpuMs, createPgDatabase, pgAdminUrl, removeDir, rssMb, startApp, startBaseline, type App, type Proc } from './lib'
import { burst, load, type LoadRequest, type LoadResult } from './load'
import { limits, ratio, table, writeResult, type Limit, type Row } from './report'
import { authHeaders, customer, products, raiseStock, shopEnv } from './shop'

const READ_CONNECTIONS = 50
const CART_CONNECTIONS = 20
/**
 * Customers taking turns at adding: each may write 60 times a minute (RATE_LIMITS.writesPerUser), so
 * at 4,000 adds a second over the 12 s of warm-up and run, 500 customers were refused 429 a third of
 * the time; 2,000 keep each at ~25.
 */
const CART_USERS = 2_000
const LIST = '/api/catalog/products?limit=20'
const FILTER = '/api/catalog/products?category=coffee&inStock=true&sort=price_asc'
/** Connections of the search flood under which `/api/health` is probed (issue 19: PGlite must not freeze the server). */
const FLOOD_CONNECTIONS = 500
const QUERIES = ['капучино', 'сырники', 'cheesecake', 'капучно', 'latte']
export const SEARCHES = QUERIES.map((q) => `/api/catalog/products?q=${encodeURIComponent(q)}`)
/** Russian typed in Latin letters and with the English layout on (each searched with its variants). */
const MISTYPED = ['kapuchino', 'rfgexbyj', 'syrniki', 'xbprtqr']
const MISTYPED_SEARCHES = MISTYPED.map((q) => `/api/catalog/products?q=${encodeURIComponent(q)}`)
const CART_PRODUCTS = ['cappuccino', 'americano', 'flat-white', 'matcha-latte', 'cocoa']

interface ReadCase { name: string; paths: string[] }
interface ReadResult { name: string; path: string; bytes: number; base: LoadResult; app: LoadResult }

/** GET each path once on the app: the bytes the baseline will serve. */
export async function capture(url: string, paths: string[]) {
  const out: Record<string, { contentType: string; body: string }> = {}
  for (const path of paths) {
    const res = await fetch(url + path)
    const body = await res.text()
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    out[path] = { contentType: res.headers.get('content-type') ?? 'application/json', body }
  }
  return out
}

/** The same path(s) at the same concurrency, rotating when there are several. */
function request(paths: string[]): LoadRequest {
  let i = 0
  return paths.length === 1 ? { path: paths[0] } : { path: paths[0], nextRequest: () => ({ path: paths[i++ % paths.length] }) }
}

async function reads(app: App, cases: ReadCase[]): Promise<ReadResult[]> {
  const captured = await capture(app.url, cases.flatMap((c) => c.paths))
  const baseline = await startBaseline(captured)
  const out: ReadResult[] = []
  try {
    for (const c of cases) {
      const base = await load(baseline.url, READ_CONNECTIONS, request(c.paths), baseline.pid)
      const measured = await load(app.url, READ_CONNECTIONS, request(c.paths), app.pid)
      out.push({ name: c.name, path: c.paths[0]!, bytes: Math.round(c.paths.reduce((s, p) => s + Buffer.byteLength(captured[p]!.body), 0) / c.paths.length), base, app: measured })
    }
  } finally {
    await baseline.stop()
  }
  return out
}

async function addToCart(app: App, token: string) {
  const items = await products(app.url, CART_PRODUCTS)
  for (const p of items) await raiseStock(app.url, token, p.id, 100_000)
  const users = Array.from({ length: CART_USERS }, (_, i) => authHeaders(customer(7_400_000, i), token))
  let u = 0
  // Every customer is seen once first (their user row written), so the cart run measures the cart.
  await burst(app.url, CART_CONNECTIONS, CART_USERS, { path: '/api/me', nextRequest: () => ({ headers: users[u++ % CART_USERS]! }) })
  const statuses: Record<number, number> = {}
  let n = 0
  const result = await load(app.url, CART_CONNECTIONS, {
    method: 'POST', path: '/api/cart/items', headers: { 'content-type': 'application/json' },
    nextRequest: () => ({ headers: users[n % CART_USERS]! }),
    nextBody: () => JSON.stringify({ productId: items[(n + Math.floor(n++ / CART_USERS)) % items.length]!.id, quantity: 1 }),
    onBody: (status) => { statuses[status] = (statuses[status] ?? 0) + 1 },
  }, app.pid)
  return { result, statuses }
}

/**
 * CPU of the app per product page rendered on a cache miss: every product's page fetched once, one
 * after the other, after a warm-up pass over the same pages in English (`?lang=en`, other cache
 * entries): the figure is a render by a process that has rendered pages before, not the first
 * render's compilation. The idle app's own CPU (job polling, timers) in the same wall time is counted in.
 */
async function renderMisses(app: App) {
  const slugs = ((await (await fetch(`${app.url}/api/catalog/products?limit=50`)).json()) as { items: { slug: string }[] }).items.map((p) => p.slug)
  for (const slug of slugs) await (await fetch(`${app.url}/product/${slug}?lang=en`)).arrayBuffer()
  const cpu0 = cpuMs(app.pid)
  const t0 = performance.now()
  let ok = 0
  for (const slug of slugs) {
    const res = await fetch(`${app.url}/product/${slug}`)
    await res.arrayBuffer()
    if (res.status === 200) ok++
  }
  return { pages: slugs.length, ok, cpuMsPerPage: (cpuMs(app.pid) - cpu0) / Math.max(1, slugs.length), wallMsPerPage: (performance.now() - t0) / Math.max(1, slugs.length) }
}

/**
 * The health prober: its own thread (the bench's thread runs autocannon's 500 connections and
 * would time its own lag) and one kept-alive connection, as an orchestrator's probe holds one,
 * opened before the flood (it says 'connected'); a request every 20 ms until told to stop, then
 * the latencies. A health check that opens a connection during the flood waits like the flood's
 * own new connections: the "first answer" table.
 */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads')
const http = require('node:http')
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const latencies = []
let probing = true
parentPort.on('message', () => { probing = false })
const get = () => new Promise((resolve) => {
  const req = http.get(workerData.url, { agent }, (res) => { res.resume(); res.on('end', resolve) })
  req.on('error', resolve)
})
;(async () => {
  await get()
  parentPort.postMessage('connected')
  while (probing) {
    const t0 = performance.now()
    await get()
    latencies.push(performance.now() - t0)
    await new Promise((r) => setTimeout(r, 20))
  }
  agent.destroy()
  parentPort.postMessage(latencies)
})()
`

/** `/api/health` probed one request at a time (from its own thread) while FLOOD_CONNECTIONS connections search: how long a health check waits. */
export async function healthUnderFlood(server: Proc) {
  const prober = new Worker(PROBER, { eval: true, workerData: { url: `${server.url}/api/health` } })
  // Its messages in order: 'connected', then the latencies; an error in the worker rejects either wait.
  const messages = on(prober, 'message')
  try {
    await messages.next()
    const flood = await load(server.url, FLOOD_CONNECTIONS, { ...request(SEARCHES), firstAnswers: true }, server.pid)
    prober.postMessage('stop')
    const latencies = (await messages.next()).value[0] as number[]
    latencies.sort((a, b) => a - b)
    return { probes: latencies.length, p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0, p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0, maxMs: latencies.at(-1) ?? 0, searchRps: flood.rps, searchP99Ms: flood.p99Ms, searchCpuMs: flood.cpuMsPerReq ?? 0, timeouts: flood.timeouts, firstAnswers: flood.firstAnswers! }
  } finally {
    await prober.terminate()
  }
}

/** The same flood and probe against the bare server answering the captured search bytes: this machine's floor. */
async function healthUnderFloodFloor(app: App) {
  const baseline = await startBaseline(await capture(app.url, SEARCHES))
  try {
    return await healthUnderFlood(baseline)
  } finally {
    await baseline.stop()
  }
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
  const rssAtReadyMb = rssMb(app.pid)
  try {
    const misses = await renderMisses(app)
    const page = (await fetch(`${app.url}/product/cappuccino`)).status === 200 ? '/product/cappuccino' : '/'
    const readResults = await reads(app, [
      { name: 'list, limit 20', paths: [LIST] },
      { name: 'filter (coffee, in stock, by price)', paths: [FILTER] },
      { name: `search (${QUERIES.length} queries rotated)`, paths: SEARCHES },
      { name: `search, Latin / wrong layout (${MISTYPED.length} rotated)`, paths: MISTYPED_SEARCHES },
      { name: `SSR page ${page}`, paths: [page] },
    ])
    const cart = await addToCart(app, fake.token)
    const floodFloor = await healthUnderFloodFloor(app)
    const flood = await healthUnderFlood(app)
    return { engine, page, reads: readResults, cart, misses, flood, floodFloor, rssAtReadyMb }
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
}

export async function catalog() {
  console.log(`\n== catalog: filter, search, SSR page at ${READ_CONNECTIONS} connections vs baseline; add to cart at ${CART_CONNECTIONS}`)
  const results = []
  for (const engine of benchEngines()) results.push(await runEngine(engine))
  if (results[0]?.page === '/') console.log('note: this build has no /product/cappuccino page; the SSR figures are for GET /')

  const rows: Row[] = []
  for (const r of results) {
    for (const c of r.reads) {
      const cells = (server: string, x: LoadResult, vs: string): Row => ({ engine: r.engine, request: c.name, server, bytes: c.bytes, 'req/s': x.rps, 'p50 ms': x.p50Ms, 'p99 ms': x.p99Ms, 'CPU ms/req': x.cpuMsPerReq!.toFixed(3), 'vs baseline': vs, non2xx: x.non2xx, 'errors (10 s timeouts)': `${x.errors} (${x.timeouts})` })
      rows.push(cells('baseline', c.base, '1.00x'), cells('app', c.app, `${ratio(c.app.rps, c.base.rps)} req/s, ${ratio(c.app.cpuMsPerReq!, c.base.cpuMsPerReq!)} CPU`))
    }
  }
  table('reads (measured run; the baseline serves the bytes captured from the app)', rows)
  table('product pages rendered on a cache miss (each product once) and RSS', results.map((r) => ({
    engine: r.engine, pages: r.misses.pages, 200: r.misses.ok, 'CPU ms/page': r.misses.cpuMsPerPage.toFixed(1), 'wall ms/page': r.misses.wallMsPerPage.toFixed(1), 'RSS MB at ready': Math.round(r.rssAtReadyMb),
  })))
  table(`GET /api/health, one at a time from its own thread, while ${FLOOD_CONNECTIONS} connections search`, results.flatMap((r) => ([['baseline', r.floodFloor], ['app', r.flood]] as const).map(([server, f]) => ({
    engine: r.engine, server, probes: f.probes, 'health p50 ms': f.p50Ms.toFixed(1), 'health p99 ms': f.p99Ms.toFixed(1), 'health max ms': f.maxMs.toFixed(1), 'search req/s': f.searchRps, 'search p99 ms': f.searchP99Ms, 'search timeouts': f.timeouts,
  }))))
  // autocannon opens its 500 connections at once when the measured run starts: how long a visitor arriving in the flood waits.
  table(`the flood's ${FLOOD_CONNECTIONS} new connections: first answer on each`, results.flatMap((r) => ([['baseline', r.floodFloor], ['app', r.flood]] as const).map(([server, f]) => ({
    engine: r.engine, server, answered: f.firstAnswers.answered, 'never answered': f.firstAnswers.unanswered, 'first answer > 1 s': f.firstAnswers.over1s, 'slowest first answer ms': f.firstAnswers.slowestMs,
  }))))
  table(`POST /api/cart/items, ${CART_USERS} customers, ${CART_PRODUCTS.length} products rotated, quantity 1`, results.map((r) => ({
    engine: r.engine, 'req/s': r.cart.result.rps, '200/s': r.cart.result.okPerS, 'p50 ms': r.cart.result.p50Ms, 'p99 ms': r.cart.result.p99Ms,
    'max ms': r.cart.result.maxMs, 'CPU ms/req': r.cart.result.cpuMsPerReq!.toFixed(3), statuses: JSON.stringify(r.cart.statuses),
  })))

  const checks: Limit[] = []
  for (const r of results) {
    for (const c of r.reads) checks.push({ what: `${r.engine} ${c.name}: p99`, value: c.app.p99Ms, limit: 300, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine} add to cart: p99`, value: r.cart.result.p99Ms, limit: 500, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine} add to cart: answers other than 200`, value: r.cart.result.non2xx + r.cart.result.errors, limit: 0, kind: 'max' })
  }
  const file = writeResult('catalog', { readConnections: READ_CONNECTIONS, cartConnections: CART_CONNECTIONS, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
