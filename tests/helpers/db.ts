import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { inject } from 'vitest'
import { openPglite, openPostgres, type DatabaseHandle } from '../../server/db/client'

/** Which engine this run tests on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

/** A fresh database of its own, created on the admin connection (a test file never sees another's rows). */
export async function createPostgresDatabase(adminUrl = process.env.TEST_DATABASE_URL!) {
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} })
      await a.unsafe(`drop database if exists ${name} with (force)`)
      await a.end()
    },
  }
}

/** A migrated, empty database on the engine under test; `close()` removes it. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  if (engine === 'postgres') {
    const created = await createPostgresDatabase()
    const handle = await openPostgres(created.url, { max: 20 })
    await handle.migrate()
    const close = handle.close
    return { ...handle, close: async () => { await close(); await created.drop() } }
  }
  const snapshot = new Blob([readFileSync(inject('pgliteSnapshot'))])
  return openPglite({ loadDataDir: snapshot })
}
