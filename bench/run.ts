/**
 * `npm run bench` runs every benchmark; `npm run bench -- health webhook` only the named ones
 * (health, startup, webhook, auth, catalog, payments, forms, frontend, account, booking, support, fanout; `chaos` and `receipts` only by name).
 * Needs a build first (`npx nuxt build`): the benches spawn `.output/server/index.mjs`.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { cpus } from 'node:os'
import { account } from './account'
import { auth } from './auth'
import { booking } from './booking'
import { catalog } from './catalog'
import { fanout } from './fanout'
import { chaos } from './chaos'
import { forms } from './forms'
import { frontend } from './frontend'
import { health } from './health'
import { root } from './lib'
import { DURATION_S, WARMUP_S } from './load'
import { payments } from './payments'
import { startup } from './startup'
import { support } from './support'
import { receipts } from './receipts'
import { printTargets } from './targets'
import { webhook } from './webhook'

/** `chaos` (it kills processes and mounts a tmpfs) and `receipts` (sizing figures, no target) are not part of a plain `npm run bench`: name them. */
const benches: Record<string, () => Promise<void>> = { health, startup, webhook, auth, catalog, payments, forms, frontend, account, booking, support, fanout, chaos, receipts }
const onRequest = new Set(['chaos', 'receipts'])

async function main() {
  const names = process.argv.slice(2).filter((a) => a !== '--')
  const unknown = names.filter((n) => !(n in benches))
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`)
    process.exit(2)
  }
  if (!existsSync(resolve(root, '.output/server/index.mjs'))) {
    console.error('no build: run `npx nuxt build` first')
    process.exit(2)
  }
  const started = performance.now()
  const startedAt = Date.now()
  console.log(`bench on ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${DURATION_S} s runs after ${WARMUP_S} s warm-up` +
    (process.env.BENCH_DATABASE_URL ? ', PostgreSQL runs on BENCH_DATABASE_URL' : ''))
  for (const name of names.length ? names : Object.keys(benches).filter((n) => !onRequest.has(n))) await benches[name]!()
  printTargets(startedAt)
  console.log(`\nbench done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
