import { readFileSync } from 'node:fs'
import { inject } from 'vitest'
import { openPglite, openPostgres, type DatabaseHandle } from '../../server/db/client'
import { createPostgresDatabase as createDatabaseOn } from './postgres'

/** Which engine this run tests on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

/**
 * PGlite as the app runs it: on a thread of its own (server/db/pglite-thread.ts), from the source
 * (Node strips its types). `TEST_PGLITE_THREAD=main` runs it on the test's thread instead.
 */
const PGLITE_THREAD = process.env.TEST_PGLITE_THREAD === 'main' ? undefined : new URL('../../server/workers/pglite.ts', import.meta.url)

/** A fresh database of its own, created on the admin connection (a test file never sees another's rows). */
export function createPostgresDatabase(adminUrl = process.env.TEST_DATABASE_URL!) {
  return createDatabaseOn(adminUrl, 't')
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
  return openPglite({ loadDataDir: snapshot, thread: PGLITE_THREAD })
}
