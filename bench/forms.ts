/**
 * `forms`: draft saves and submission intake (issue 16), 50 connections, against a baseline in the
 * same app and run: GET /api/me for the same rotated users (auth + one read). Draft saves rotate
 * over 500 users, each save on top of that user's previous revision (a stale revision would be a
 * 409, counted as non-2xx); submissions are a burst of valid catering requests, each with its own
 * Idempotency-Key (one insert, the draft dropped, the operators' job queued, the key recorded).
 */
import { createPgDatabase, pgAdminUrl, removeDir, startApp } from './lib'
import { burst, load, type LoadResult } from './load'
import { limits, table, writeResult, type Limit, type Row } from './report'
import { authHeaders, customer, shopEnv } from './shop'
import { createFakeBotApi } from '../server/telegram/fake-bot-api'

const CONNECTIONS = 50
const USERS = 500
const SUBMISSIONS = Number(process.env.BENCH_FORM_SUBMISSIONS ?? 2000)
const VALUES = { event: 'office', date: '2026-12-21', guests: 20, menu: ['coffee'], name: 'Мария', phone: '+7 916 123-45-01', consent: true }

function users(base: number, token: string) {
  const headers = Array.from({ length: USERS }, (_, i) => authHeaders(customer(base, i), token))
  let i = 0
  return { headers, next: () => headers[i++ % USERS]! }
}

interface EngineResult { engine: string; me: LoadResult; drafts: LoadResult; submissions: LoadResult }

async function runEngine(engine: 'pglite' | 'postgres'): Promise<EngineResult> {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const fake = createFakeBotApi()
  await fake.listen()
  const app = await startApp({ databaseUrl: database?.url, env: shopEnv(fake) })
  try {
    const people = users(7_600_000, fake.token)
    // Every user seen once (user rows written) before anything is measured.
    await burst(app.url, CONNECTIONS, USERS, { path: '/api/me', nextRequest: () => ({ headers: people.next() }) }, app.pid)
    const me = await load(app.url, CONNECTIONS, { path: '/api/me', nextRequest: () => ({ headers: people.next() }) }, app.pid)
    const revisions = new Array<number>(USERS).fill(0)
    let n = 0
    let current = 0
    const drafts = await load(
      app.url,
      CONNECTIONS,
      {
        method: 'POST',
        path: '/api/forms/catering/draft',
        headers: { 'content-type': 'application/json' },
        nextRequest: () => ((current = n++ % USERS), { headers: people.headers[current] }),
        nextBody: () => JSON.stringify({ version: 1, step: 1, baseRevision: revisions[current]!++, values: { ...VALUES, wishes: `draft ${n}` } }),
      },
      app.pid,
    )
    let k = 0
    const submissions = await burst(
      app.url,
      CONNECTIONS,
      SUBMISSIONS,
      {
        method: 'POST',
        path: '/api/forms/catering/submissions',
        headers: { 'content-type': 'application/json' },
        nextRequest: () => ({ headers: { ...people.headers[k % USERS], 'idempotency-key': `bench-submission-${k++}` } }),
        nextBody: () => JSON.stringify({ version: 1, values: VALUES }),
      },
      app.pid,
    )
    return { engine, me, drafts, submissions }
  } finally {
    await app.stop()
    await fake.close()
    removeDir(app.dataDir)
    await database?.drop()
  }
}

const row = (engine: string, what: string, r: LoadResult): Row => ({
  engine, request: what, 'req/s': r.rps, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs, 'CPU ms/req': r.cpuMsPerReq!.toFixed(3), non2xx: r.non2xx, errors: r.errors,
})

export async function forms() {
  console.log(`\n== forms: draft saves and submissions vs GET /api/me (baseline), ${USERS} users, ${CONNECTIONS} connections`)
  const results = [await runEngine('pglite')]
  if (pgAdminUrl) results.push(await runEngine('postgres'))
  table('forms', results.flatMap((r) => [row(r.engine, 'GET /api/me (baseline)', r.me), row(r.engine, 'POST draft (debounced autosave)', r.drafts), row(r.engine, `POST submission (${SUBMISSIONS}, new keys)`, r.submissions)]))
  const checks: Limit[] = []
  for (const r of results) {
    checks.push({ what: `${r.engine}: draft save p99`, value: r.drafts.p99Ms, limit: 300, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: draft save p99 over the /api/me baseline`, value: r.drafts.p99Ms - r.me.p99Ms, limit: 200, kind: 'max', unit: ' ms' })
    checks.push({ what: `${r.engine}: submissions per second`, value: r.submissions.okPerS, limit: 100, kind: 'min', unit: '/s' })
    checks.push({ what: `${r.engine}: non-2xx + errors`, value: r.drafts.non2xx + r.drafts.errors + r.submissions.non2xx + r.submissions.errors, limit: 0, kind: 'max' })
  }
  const file = writeResult('forms', { connections: CONNECTIONS, users: USERS, submissions: SUBMISSIONS, results, limits: limits(checks) })
  console.log(`written ${file}`)
}
