import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { START_ENV, START_NODE_ARGS } from '../tests/helpers/start-command'
import { root } from './lib'
import { fmt, table, writeResult } from './report'

/**
 * What PDF receipts cost in memory (docs/deployment.md): a child process with `npm start`'s flags
 * makes 200 and 600 receipts one at a time, on the built server's worker thread (what a server on
 * PostgreSQL does) and on the main thread (a server on PGlite), and reports its RSS over its start.
 * No limits: the figures are for sizing a deployment. Run by name: `npm run bench -- receipts`.
 */
export async function receipts() {
  console.log('\n== receipts: RSS over the start after making receipts one at a time (npm start flags)')
  const rows = []
  for (const count of [200, 600]) {
    for (const mode of ['thread', 'main']) {
      const out = execFileSync(process.execPath, [...START_NODE_ARGS, '--import', 'tsx', resolve(root, 'bench/receipt-memory-child.ts'), mode, String(count)], { cwd: root, env: { ...process.env, ...START_ENV }, encoding: 'utf8' })
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as { mode: string; count: number; msEach: number; afterOne: number; afterAll: number; afterStop: number; heapMb: number }
      rows.push({ made: r.count, on: r.mode === 'thread' ? 'worker thread' : 'main thread', 'ms a receipt': fmt(r.msEach), 'MB after 1': fmt(r.afterOne, 0), 'MB after all': fmt(r.afterAll, 0), 'MB 1 s after stop': r.mode === 'thread' ? fmt(r.afterStop, 0) : '-', 'JS heap MB': fmt(r.heapMb, 0) })
    }
  }
  table('receipts made one at a time: RSS over the process start (after gc)', rows)
  console.log(`results: ${writeResult('receipts', { rows })}`)
}
