/**
 * Issue 19's target table, filled from the result files the benches of this run wrote
 * (`bench/results/{catalog,auth,payments}.json`): every row per engine with its figure, its target
 * and whether it is met. Rows whose bench did not run in this invocation say so.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import { root } from './lib'
import { fmt, table, type Row } from './report'

// The result files are JSON written by the benches; only the fields read below are relied on.
/* eslint-disable @typescript-eslint/no-explicit-any */
function result(name: string, since: number): any {
  const file = resolve(root, `bench/results/${name}.json`)
  if (!existsSync(file) || statSync(file).mtimeMs < since) return undefined
  return JSON.parse(readFileSync(file, 'utf8'))
}

type Engine = 'pglite' | 'postgres'
/** The bare server's health p99 under the same flood, when the result has it: this machine's floor. */
const floor = (c: any) => (c.floodFloor ? ` (bare server under the same flood: p99 ${c.floodFloor.p99Ms.toFixed(0)} ms)` : '')
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'ok' : 'MISSED')
/**
 * A target the issue sets for PostgreSQL only: on PGlite the speed is shown, not judged ('-'), but
 * a wrong, lost or doubled answer is a miss on any engine.
 */
const onPostgres = (engine: Engine, target: string, fast: boolean, right: boolean) =>
  engine === 'postgres' ? { target: `${target} (PostgreSQL)`, met: verdict(fast && right) } : { target: `${target} (speed: PostgreSQL)`, met: right ? '-' : 'MISSED' }

/** Prints the table for the benches run since `since` (ms epoch). */
export function printTargets(since: number) {
  const catalog = result('catalog', since)
  const auth = result('auth', since)
  const payments = result('payments', since)
  const rows: Row[] = []
  const engines: Engine[] = ['pglite', 'postgres']
  for (const engine of engines) {
    const c = catalog?.results.find((r: any) => r.engine === engine)
    for (const name of ['list, limit 20', 'filter', 'search (', 'search, Latin']) {
      const read = c?.reads.find((r: any) => r.name.startsWith(name))
      if (!read) continue
      const x = read.app.rps / read.base.rps
      rows.push({ engine, figure: `catalog ${read.name} (50 conn)`, value: `${fmt(read.app.rps, 0)}/s, ${fmt(x, 3)}x bare, p99 ${read.app.p99Ms} ms, ${read.app.cpuMsPerReq.toFixed(3)} CPU ms/req`, target: '>= 0.2x bare, p99 <= 30 ms', met: verdict(x >= 0.2 && read.app.p99Ms <= 30) })
    }
    const a = auth?.results.find((r: any) => r.engine === engine)
    if (a) {
      const x = a.me.rps / a.health.rps
      const added = a.me.cpuMsPerReq - a.health.cpuMsPerReq
      rows.push({ engine, figure: 'GET /api/me (steady)', value: `${fmt(a.me.rps, 0)}/s = ${fmt(x, 2)}x /api/health, +${added.toFixed(3)} CPU ms/req, p99 ${a.me.p99Ms} ms`, target: '>= 0.3x /api/health, auth <= 0.2 ms CPU', met: verdict(x >= 0.3 && added <= 0.2) })
    }
    if (c) {
      const cart = c.cart.result
      const right = cart.non2xx + cart.errors === 0
      rows.push({ engine, figure: 'add to cart (20 conn)', value: `${fmt(cart.okPerS, 0)}/s, p99 ${cart.p99Ms} ms, ${cart.cpuMsPerReq.toFixed(3)} CPU ms/req, answers ${JSON.stringify(c.cart.statuses)}`, ...onPostgres(engine, '>= 1,500/s, p99 <= 40 ms, all right', cart.okPerS >= 1500 && cart.p99Ms <= 40, right) })
      rows.push({ engine, figure: 'product page render on a miss', value: `${c.misses.cpuMsPerPage.toFixed(1)} CPU ms/page (${c.misses.pages} pages)`, target: '<= 10 ms CPU', met: verdict(c.misses.cpuMsPerPage <= 10) })
      if (engine === 'pglite') rows.push({ engine, figure: 'RSS at ready / /api/health p99 under 500 searching connections', value: `${Math.round(c.rssAtReadyMb)} MB / ${c.flood.p99Ms.toFixed(0)} ms${floor(c)}`, target: '<= 300 MB / <= 50 ms', met: verdict(c.rssAtReadyMb <= 300 && c.flood.p99Ms <= 50) })
      else rows.push({ engine, figure: '/api/health p99 under 500 searching connections', value: `${c.flood.p99Ms.toFixed(0)} ms${floor(c)} (RSS at ready ${Math.round(c.rssAtReadyMb)} MB)`, target: '(target is for PGlite)', met: '-' })
    }
    const p = payments?.results.find((r: any) => r.engine === engine)
    if (p) {
      rows.push({ engine, figure: `${p.pre.sent} concurrent pre-checkouts`, value: `p99 ${fmt(p.pre.p99Ms, 0)} ms, ${p.pre.okTrue} ok:true${payments.preCheckoutBaseline ? ` (bare server: p99 ${fmt(payments.preCheckoutBaseline.p99Ms, 0)} ms)` : ''}`, ...onPostgres(engine, 'p99 <= 100 ms, all ok:true', p.pre.p99Ms <= 100, p.pre.okTrue === p.pre.sent) })
      const exact = p.db.payments === p.orders && p.db.flagged === 0 && p.db.paid === p.orders && p.db.paidTransitions === p.orders && p.db.updateRows === p.paid.distinctUpdates && p.paid.customersWithout === 0 && p.paid.customersWithSeveral === 0
      rows.push({ engine, figure: `${fmt(p.paid.sent, 0)} successful_payment burst (40 conn)`, value: `${fmt(p.paid.load.okPerS, 0)} acked/s, ${exact ? 'none lost, none doubled' : 'LOST OR DOUBLED'}`, ...onPostgres(engine, '>= 2,000 acked/s, none lost/doubled', p.paid.load.okPerS >= 2000, exact) })
      const chat = p.paid.chat
      if (chat) rows.push({ engine, figure: 'chat messages after the burst', value: `${chat.afterBurst} left in ${chat.afterBurstS.toFixed(1)} s; most in 1 s: ${chat.maxPerSecond}; per chat gap >= ${chat.minChatGapMs} ms`, target: '400 in <= 20 s, never above ~30/s, 1/s per chat', met: verdict(chat.afterBurstS <= 20 && chat.maxPerSecond <= 30 && (chat.minChatGapMs ?? 1000) >= 1000) })
    }
  }
  if (!rows.length) return
  table(`issue 19 targets (load average now ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; PostgreSQL rows need BENCH_DATABASE_URL)`, rows)
}
