import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { openPglite } from '../../server/db/client'

const root = resolve(import.meta.dirname, '../..')

/**
 * Once per run: a migrated PGlite snapshot (initdb costs 5-12 s here; restoring it under 1 s),
 * and a production build of the app for the tests that start `.output` like the Docker image does.
 */
export default async function setup(project: TestProject) {
  const cacheDir = resolve(root, '.cache/test')
  mkdirSync(cacheDir, { recursive: true })
  const handle = await openPglite()
  await handle.migrate()
  const snapshot = resolve(cacheDir, 'pglite-migrated.tar.gz')
  writeFileSync(snapshot, Buffer.from(await (await handle.pglite!.dumpDataDir('gzip')).arrayBuffer()))
  await handle.close()
  project.provide('pgliteSnapshot', snapshot)

  if (process.env.SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [resolve(root, 'node_modules/nuxt/bin/nuxt.mjs'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string
  }
}
