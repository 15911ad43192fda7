/**
 * `startup`: spawn -> /api/ready = 200, on an empty data dir (initdb + migrations + demo seed) and
 * on the same dir again (second start), RUNS times each, median; RSS right after ready, 1 s later,
 * and the process's peak RSS 3 s after ready (V8 optimizing PGlite's WebAssembly burst there
 * before the start command ran it with --liftoff-only; BENCH_NODE_ARGS=--no-liftoff-only shows it).
 * With BENCH_DATABASE_URL, the same on a fresh PostgreSQL database.
 */
import { createPgDatabase, median, peakRssMb, pgAdminUrl, removeDir, rssMb, sleep, startApp, type AppOptions } from './lib'
import { fmt, limits, table, writeResult, type Limit, type Row } from './report'

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3)

interface Sample { readyMs: number; rssMb: number; rssMb1s: number; peakRssMb: number }

async function startOnce(options: AppOptions): Promise<Sample & { dataDir: string }> {
  const app = await startApp(options)
  const rss = rssMb(app.pid)
  await sleep(1000) // background work right after ready (webhook set-up, first queue polls)
  const rss1s = rssMb(app.pid)
  await sleep(2000)
  const peak = peakRssMb(app.pid)
  await app.stop()
  return { readyMs: app.readyMs, rssMb: rss, rssMb1s: rss1s, peakRssMb: peak, dataDir: app.dataDir }
}

interface Series { engine: string; start: 'first' | 'second'; samples: Sample[] }

function summarize(s: Series): Row {
  const ready = s.samples.map((x) => x.readyMs)
  return {
    engine: s.engine,
    start: s.start,
    runs: s.samples.length,
    'median ms': median(ready),
    'min ms': Math.min(...ready),
    'max ms': Math.max(...ready),
    'RSS MB at ready': median(s.samples.map((x) => x.rssMb)),
    'RSS MB +1 s': median(s.samples.map((x) => x.rssMb1s)),
    'peak RSS MB (to +3 s)': median(s.samples.map((x) => x.peakRssMb)),
  }
}

async function pgliteSeries(): Promise<Series[]> {
  const first: Series = { engine: 'pglite', start: 'first', samples: [] }
  const second: Series = { engine: 'pglite', start: 'second', samples: [] }
  for (let i = 0; i < RUNS; i++) {
    const cold = await startOnce({})
    first.samples.push(cold)
    try {
      second.samples.push(await startOnce({ dataDir: cold.dataDir }))
    } finally {
      removeDir(cold.dataDir)
    }
    console.log(`  run ${i + 1}: first ${fmt(cold.readyMs, 0)} ms, second ${fmt(second.samples.at(-1)!.readyMs, 0)} ms`)
  }
  return [first, second]
}

async function postgresSeries(adminUrl: string): Promise<Series[]> {
  const first: Series = { engine: 'postgres', start: 'first', samples: [] }
  const second: Series = { engine: 'postgres', start: 'second', samples: [] }
  for (let i = 0; i < RUNS; i++) {
    const database = await createPgDatabase(adminUrl)
    try {
      const cold = await startOnce({ databaseUrl: database.url })
      first.samples.push(cold)
      second.samples.push(await startOnce({ databaseUrl: database.url, dataDir: cold.dataDir }))
      removeDir(cold.dataDir)
    } finally {
      await database.drop()
    }
  }
  return [first, second]
}

export async function startup() {
  console.log(`\n== startup: spawn -> /api/ready = 200, ${RUNS} runs each`)
  const series = await pgliteSeries()
  if (pgAdminUrl) series.push(...(await postgresSeries(pgAdminUrl)))
  const rows = series.map(summarize)
  table('results (median of runs)', rows)

  const checks: Limit[] = []
  for (const r of rows) {
    const isFirst = r.start === 'first'
    checks.push({ what: `${r.engine} ${r.start} start, median`, value: Number(r['median ms']), limit: isFirst ? 15_000 : 5_000, kind: 'max', unit: ' ms' })
  }
  const rssLimit = 400
  for (const r of rows) checks.push({ what: `${r.engine} ${r.start} start, RSS at ready`, value: Number(r['RSS MB at ready']), limit: rssLimit, kind: 'max', unit: ' MB' })
  const file = writeResult('startup', { runs: RUNS, series, summary: rows, limits: limits(checks) })
  console.log(`written ${file}`)
}
