/**
 * `npx tsx bench/health-flood.ts`: the `catalog` bench's health check under the 500-connection
 * search flood, repeated on one start of the app (PGlite, or PostgreSQL on BENCH_DATABASE_URL), to
 * compare builds or settings flood by flood; not part of `npm run bench`. Needs `npx nuxt build`.
 *
 * HEALTH_FLOODS (2): floods on the app. BENCH_NODE_ARGS: node flags for the app (as everywhere);
 * BENCH_APP_ENV: JSON of extra environment for the app, e.g. '{"LOG_LEVEL":"warn"}'.
 * HEALTH_FLOOD_BASELINES: comma-separated bare servers flooded first: `bare` (the bench's
 * baseline), or LIKE_APP letters of bench/baseline-server.ts (`H`, `HL`, `HLM`: the app's headers,
 * its access log, its histogram).
 */
import { createFakeBotApi } from '../server/telegram/fake-bot-api'
import { capture, healthUnderFlood, SEARCHES } from './catalog'
import { createPgDatabase, pgAdminUrl, removeDir, startApp, startBaseline, type Proc } from './lib'
import { shopEnv } from './shop'

const floods = Number(process.env.HEALTH_FLOODS ?? 2)
const baselines = (process.env.HEALTH_FLOOD_BASELINES ?? '').split(',').filter(Boolean)

async function report(server: Proc, label: string) {
  const f = await healthUnderFlood(server)
  console.log(`${label.padEnd(12)} health p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, max ${f.maxMs.toFixed(1)} ms (${f.probes} probes) | searches ${Math.round(f.searchRps)}/s, p99 ${f.searchP99Ms} ms, ${f.searchCpuMs.toFixed(3)} CPU ms each | slowest first answer ${f.firstAnswers.slowestMs} ms`)
}

const database = pgAdminUrl ? await createPgDatabase(pgAdminUrl) : undefined
const fake = createFakeBotApi()
await fake.listen()
const app = await startApp({ databaseUrl: database?.url, env: { ...shopEnv(fake), ...(process.env.BENCH_APP_ENV ? (JSON.parse(process.env.BENCH_APP_ENV) as Record<string, string>) : {}) } })
try {
  const captured = await capture(app.url, SEARCHES)
  // The app's own headers on a search answer, less what each answer makes anew.
  const answer = await fetch(app.url + SEARCHES[0])
  await answer.arrayBuffer()
  const headers = [...answer.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'x-request-id'].includes(name)).flat()
  for (const baseline of baselines) {
    const server = await startBaseline(captured, baseline === 'bare' ? {} : { env: { LIKE_APP: baseline, HEADERS: JSON.stringify(headers) } })
    try {
      await report(server, baseline)
    } finally {
      await server.stop()
    }
  }
  for (let i = 0; i < floods; i++) await report(app, `app #${i + 1}`)
} finally {
  await app.stop()
  await fake.close()
  removeDir(app.dataDir)
  await database?.drop()
}
