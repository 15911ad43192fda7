/**
 * `npx tsx bench/profile.ts [pglite|postgres] [phase,...]`: where the app's CPU goes on the hot
 * requests. Starts the built app with `--cpu-prof` (PostgreSQL on BENCH_DATABASE_URL, else PGlite),
 * loads it with the catalog filter, a search, `GET /api/me`, add to cart (BENCH_DURATION s each)
 * and product pages rendered on a cache miss (every product 10 times, one at a time, each time a
 * new URL), one after the other - or only the phases named (`filter,search,me,cart,pages`) - stops
 * it and prints self time grouped by package and the top functions of each phase.
 * Not part of `npm run bench`: a profile is for reading, not for comparing.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { createPgDatabase, pgAdminUrl, removeDir, startApp } from './lib'
import { load } from './load'
import { authHeaders, customer, products, raiseStock, shopEnv } from './shop'

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number }

/** Where a frame lives: a package under node_modules, node's own code, or ours (the server bundle). */
function owner(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  if (pkg) return pkg
  if (url.startsWith('node:') || !url) return url ? 'node' : '(native/gc/idle)'
  if (url.includes('.output/server/chunks/')) return 'app: ' + (/chunks\/(?:[^/]+\/)*([^/]+?)\.mjs/.exec(url)?.[1] ?? 'chunk')
  return url.replace(/^file:\/\/.*\.output\//, '.output/')
}

function summarize(profile: Profile, from: number, to: number, label: string) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  let t = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!
    if (t < from || t > to) continue
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
  }
  const byOwner = new Map<string, number>()
  const byFunction = new Map<string, number>()
  let total = 0
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    total += us
    const who = frame.functionName.startsWith('(') ? frame.functionName : owner(frame.url)
    byOwner.set(who, (byOwner.get(who) ?? 0) + us)
    const fn = `${frame.functionName || '(anonymous)'} ${owner(frame.url)}:${frame.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n')
  console.log(`\n-- ${label}: ${(total / 1000).toFixed(0)} ms of CPU (idle left out; profile time ${from}-${to} us)\nby package:\n${top(byOwner, 12)}\ntop functions (self time):\n${top(byFunction, 15)}`)
}

/** Phase labels and their short names on the command line. */
const PHASES: Record<string, string> = { 'catalog filter': 'filter', search: 'search', 'GET /api/me': 'me', 'add to cart': 'cart', 'product page on a miss': 'pages' }

async function main() {
  const engine = process.argv[2] === 'pglite' || !pgAdminUrl ? 'pglite' : 'postgres'
  const profDir = mkdtempSync(join(tmpdir(), 'tma-prof-'))
  process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${profDir} --cpu-prof-interval=500`
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
  const phases: { label: string; from: number; to: number }[] = []
  // V8 stamps samples in microseconds of CLOCK_MONOTONIC, the clock of process.hrtime here.
  const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)
  const only = process.argv[3]?.split(',')
  const phase = async (label: string, run: () => Promise<unknown>) => {
    if (only && !only.includes(PHASES[label]!)) return
    const from = monotonicUs()
    await run()
    phases.push({ label, from, to: monotonicUs() })
  }
  try {
    const users = Array.from({ length: 500 }, (_, i) => authHeaders(customer(7_600_000, i), fake.token))
    let u = 0
    await phase('catalog filter', () => load(app.url, 50, { path: '/api/catalog/products?category=coffee&inStock=true&sort=price_asc' }, app.pid))
    const queries = ['капучино', 'сырники', 'cheesecake', 'капучно', 'latte'].map((q) => `/api/catalog/products?q=${encodeURIComponent(q)}`)
    let q = 0
    await phase('search', () => load(app.url, 50, { path: queries[0], nextRequest: () => ({ path: queries[q++ % queries.length] }) }, app.pid))
    await phase('GET /api/me', () => load(app.url, 50, { path: '/api/me', nextRequest: () => ({ headers: users[u++ % users.length]! }) }, app.pid))
    const items = await products(app.url, ['cappuccino', 'americano', 'flat-white'])
    for (const p of items) await raiseStock(app.url, fake.token, p.id, 100_000)
    let n = 0
    await phase('add to cart', () => load(app.url, 20, {
      method: 'POST', path: '/api/cart/items', headers: { 'content-type': 'application/json' },
      nextRequest: () => ({ headers: users[n % users.length]! }),
      nextBody: () => JSON.stringify({ productId: items[n++ % items.length]!.id, quantity: 1 }),
    }, app.pid))
    const slugs = ((await (await fetch(`${app.url}/api/catalog/products?limit=50`)).json()) as { items: { slug: string }[] }).items.map((p) => p.slug)
    for (const slug of slugs) await (await fetch(`${app.url}/product/${slug}?lang=en`)).arrayBuffer()
    await phase('product page on a miss', async () => {
      // Every URL is new to the page cache (its key is the whole URL).
      for (let round = 0; round < 10; round++) for (const slug of slugs) await (await fetch(`${app.url}/product/${slug}?r=${round}`)).arrayBuffer()
    })
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`no profile written in ${profDir}`)
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile
  console.log(`profile: ${join(profDir, file)} (${engine})`)
  for (const p of phases) summarize(profile, p.from, p.to, p.label)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
