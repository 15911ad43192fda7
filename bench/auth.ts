/**
 * `auth`: what authentication adds per request. In the same app and run: GET /api/health (no auth)
 * vs GET /api/me with `Authorization: tma <initData>` rotated over 500 distinct, pre-signed users at
 * 50 connections. First a pass over fresh users, one request each (each writes its user row); then
 * 500 of them again for the warm-up + measured run: the steady state (HMAC check + one read of user
 * and roles, no write). And validateInitData alone, in this process, ops/s.
 */
import { createPgDatabase, pgAdminUrl, removeDir, startApp, benchEngines } from './lib'
import { burst, load, type LoadResult } from './load'
import { fmt, limits, table, writeResult, type Limit, type Row } from './report'
import { authHeaders, customer, shopEnv } from './shop'
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { validate as validateWithLibrary, parse as parseWithLibrary } from '@tma.js/init-data-node'
import { validateInitData } from '../server/services/auth/init-data'
import { initDataFor } from '../tests/helpers/telegram-users'

const CONNECTIONS = 50
const USERS = 500
const FRESH_USERS = Number(process.env.BENCH_AUTH_FRESH ?? 1000)

/** Pre-signed headers for `count` users starting at `base`; `next()` rotates through them. */
function rotation(base: number, count: number, token: string) {
  const headers = Array.from({ length: count }, (_, i) => authHeaders(customer(base, i), token))
  let i = 0
  return { count, next: () => ({ headers: headers[i++ % count]! }) }
}

interface EngineResult { engine: string; health: LoadResult; me: LoadResult; firstSeen: LoadResult; statuses: Record<number, number> }

async function runEngine(engine: 'pglite' | 'postgres'): Promise<EngineResult> {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
  const statuses: Record<number, number> = {}
  const count = (status: number) => { statuses[status] = (statuses[status] ?? 0) + 1 }
  try {
    const health = await load(app.url, CONNECTIONS, { path: '/api/health' }, app.pid)
    // First pass: each request a user the app has never seen (writes the user row).
    const fresh = rotation(7_100_000, FRESH_USERS, fake.token)
    const firstSeen = await burst(app.url, CONNECTIONS, FRESH_USERS, { path: '/api/me', nextRequest: fresh.next, onBody: count }, app.pid)
    // Steady state: the first USERS of them again (rows exist, last_seen_at fresh: no write).
    const seen = rotation(7_100_000, USERS, fake.token)
    const me = await load(app.url, CONNECTIONS, { path: '/api/me', nextRequest: seen.next, onBody: count }, app.pid)
    return { engine, health, me, firstSeen, statuses }
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
}

interface Micro { opsPerS: number; usPerOp: number; cpuUsPerOp: number }

/** One validator in this process: ops/s over `USERS` distinct strings, after a warm-up. */
function measure(check: (raw: string, token: string) => unknown): Micro {
  const token = '7000000001:AAH' + 'x'.repeat(32)
  const raws = Array.from({ length: USERS }, (_, i) => initDataFor(customer(7_300_000, i), token))
  const run = (n: number) => { for (let i = 0; i < n; i++) check(raws[i % USERS]!, token) }
  run(20_000)
  const n = 100_000
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  run(n)
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { opsPerS: n / (ms / 1000), usPerOp: (ms * 1000) / n, cpuUsPerOp: (cpu.user + cpu.system) / n }
}

/**
 * Our validateInitData (check + typed fields) against @tma.js/init-data-node doing the same work
 * (validate, then parse): the library would replace ours only if it were as fast.
 */
function micro(): { ours: Micro; library?: Micro } {
  const ours = measure((raw, token) => validateInitData(raw, { botToken: token, maxAgeSeconds: 3600 }))
  try {
    return {
      ours,
      library: measure((raw, token) => {
        validateWithLibrary(raw, token, { expiresIn: 3600 })
        return parseWithLibrary(raw)
      }),
    }
  } catch (error) {
    // The library's parser refuses initData without Telegram's newer `signature` field (ours does not need it).
    console.log(`@tma.js/init-data-node refused the bench's initData: ${(error as Error).message}`)
    return { ours }
  }
}

const row = (server: string, what: string, r: LoadResult): Row => ({
  engine: server, request: what, 'req/s': r.rps, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs,
  'CPU ms/req': r.cpuMsPerReq!.toFixed(3), non2xx: r.non2xx, 'errors (10 s timeouts)': `${r.errors} (${r.timeouts})`,
})

export async function auth() {
  console.log(`\n== auth: GET /api/health vs GET /api/me (tma initData, ${USERS} users rotated), ${CONNECTIONS} connections`)
  const results = []
  for (const engine of benchEngines()) results.push(await runEngine(engine))
  const validate = micro()

  table('throughput (health and /api/me steady state: measured run after a warm-up over the same users)', results.flatMap((r) => [
    row(r.engine, 'GET /api/health', r.health),
    row(r.engine, `GET /api/me (${USERS} seen users)`, r.me),
    row(r.engine, `GET /api/me (${FRESH_USERS} first-seen users, 1 req each)`, r.firstSeen),
  ]))
  table('added by authentication (/api/me minus /api/health, same app, same run)', results.map((r) => ({
    engine: r.engine, 'steady +p50 ms': r.me.p50Ms - r.health.p50Ms, 'steady +p99 ms': r.me.p99Ms - r.health.p99Ms,
    'steady +CPU ms/req': (r.me.cpuMsPerReq! - r.health.cpuMsPerReq!).toFixed(3), 'throughput me/health': `${fmt(r.me.rps / r.health.rps, 2)}x`,
    'first-seen +CPU ms/req': (r.firstSeen.cpuMsPerReq! - r.health.cpuMsPerReq!).toFixed(3), 'first-seen p99 ms': r.firstSeen.p99Ms,
    statuses: JSON.stringify(r.statuses),
  })))
  console.log(`\nvalidateInitData in-process: ${fmt(validate.ours.opsPerS, 0)} ops/s (${fmt(validate.ours.usPerOp, 1)} µs wall, ${fmt(validate.ours.cpuUsPerOp, 1)} µs CPU each, one core)`)
  if (validate.library) console.log(`@tma.js/init-data-node validate + parse: ${fmt(validate.library.opsPerS, 0)} ops/s (${fmt(validate.library.usPerOp, 1)} µs wall); ours is ${fmt(validate.ours.opsPerS / validate.library.opsPerS, 2)}x its speed`)

  const checks: Limit[] = [{ what: 'validateInitData ops/s', value: validate.ours.opsPerS, limit: 10_000, kind: 'min', unit: '/s' }]
  for (const r of results) {
    checks.push({ what: `${r.engine}: /api/me p99 (steady)`, value: r.me.p99Ms, limit: 200, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: /api/me added CPU per request (steady)`, value: r.me.cpuMsPerReq! - r.health.cpuMsPerReq!, limit: 2, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: /api/me non-2xx + errors`, value: r.me.non2xx + r.me.errors + r.firstSeen.non2xx + r.firstSeen.errors, limit: 0, kind: 'max' })
  }
  const file = writeResult('auth', { connections: CONNECTIONS, users: USERS, freshUsers: FRESH_USERS, results, validateInitData: validate, limits: limits(checks) })
  console.log(`written ${file}`)
}
