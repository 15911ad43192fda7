/**
 * `health`: GET /api/health at 50 connections on the built app vs a bare node:http process
 * answering the same bytes and headers. Measures the per-request cost of Nitro + our middleware
 * (request id, JSON log line, metrics histogram) on top of Node's HTTP server.
 */
import { removeDir, rssMb, startApp, startBaseline } from './lib'
import { load, type LoadResult } from './load'
import { fmt, limits, ratio, table, writeResult, type Row } from './report'

const CONNECTIONS = 50

function row(name: string, r: LoadResult, rss: number): Row {
  return { server: name, 'req/s': r.rps, 'p50 ms': r.p50Ms, 'p99 ms': r.p99Ms, 'max ms': r.maxMs, 'CPU ms/req': r.cpuMsPerReq!.toFixed(3), non2xx: r.non2xx, errors: r.errors + r.timeouts, 'RSS MB': rss }
}

export async function health() {
  console.log(`\n== health: GET /api/health, ${CONNECTIONS} connections`)
  const baseline = await startBaseline()
  let base: LoadResult, baseRss: number
  try {
    base = await load(baseline.url, CONNECTIONS, { path: '/api/health' }, baseline.pid)
    baseRss = rssMb(baseline.pid)
  } finally {
    await baseline.stop()
  }

  const app = await startApp()
  let measured: LoadResult, rssReady: number, rssAfter: number
  try {
    rssReady = rssMb(app.pid)
    measured = await load(app.url, CONNECTIONS, { path: '/api/health' }, app.pid)
    rssAfter = rssMb(app.pid)
  } finally {
    await app.stop()
    removeDir(app.dataDir)
  }

  table('results', [row('node:http baseline', base, baseRss), row('app (Nitro)', measured, rssAfter)])
  console.log(`\napp/baseline: throughput ${ratio(measured.rps, base.rps)}, p99 ${ratio(measured.p99Ms, base.p99Ms)}, CPU per request ${ratio(measured.cpuMsPerReq!, base.cpuMsPerReq!)}; app RSS ${fmt(rssReady)} MB after ready, ${fmt(rssAfter)} MB after load`)
  const checks = limits([
    { what: 'app throughput / baseline', value: measured.rps / base.rps, limit: 0.25, kind: 'min', unit: 'x' },
    { what: 'app p99 latency', value: measured.p99Ms, limit: 100, kind: 'max', unit: ' ms' },
    { what: 'app non-2xx + errors', value: measured.non2xx + measured.errors + measured.timeouts, limit: 0, kind: 'max' },
  ])
  const file = writeResult('health', {
    connections: CONNECTIONS,
    baseline: { ...base, rssMb: baseRss },
    app: { ...measured, rssMbAfterReady: rssReady, rssMbAfterLoad: rssAfter },
    ratios: { throughput: measured.rps / base.rps, p99: measured.p99Ms / base.p99Ms, cpuPerRequest: measured.cpuMsPerReq! / base.cpuMsPerReq! },
    limits: checks,
  })
  console.log(`written ${file}`)
}
