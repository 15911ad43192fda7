import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openPglite, type DatabaseHandle } from '../../../server/db/client'
import { appSettings as settings } from '../../../server/db/schema'
import { infrastructureFailure } from '../../../server/utils/infrastructure'
import { engine } from '../../helpers/db'

/**
 * PGlite on its worker thread (server/db/pglite-thread.ts) keeps PGlite's contract, which drizzle,
 * pg-boss and the read models rely on: errors with their PostgreSQL fields, a transaction that
 * holds every other statement until it ends, savepoints, NOTIFY delivered before the committing
 * statement's answer, dumps. And the app's thread stays free while the database works.
 */
const THREAD = new URL('../../../server/workers/pglite.ts', import.meta.url)

describe.runIf(engine === 'pglite')('PGlite on its own thread', () => {
  let handle: DatabaseHandle

  beforeAll(async () => {
    handle = await openPglite({ loadDataDir: new Blob([readFileSync(inject('pgliteSnapshot'))]), thread: THREAD })
  })
  afterAll(() => handle?.close())

  it('runs drizzle queries with their types: timestamps as text drizzle maps, json, numbers', async () => {
    const [row] = await handle.db.insert(settings).values({ key: 'thread.test', value: { a: 1, list: ['x'] } }).returning()
    expect(row!.value).toEqual({ a: 1, list: ['x'] })
    expect(row!.updatedAt).toBeInstanceOf(Date)
    const [read] = await handle.db.select().from(settings).where(eq(settings.key, 'thread.test'))
    expect(read!.updatedAt.getTime()).toBe(row!.updatedAt.getTime())
    const counted = await handle.db.execute(sql`select count(*)::int as n, now() as at`)
    expect((counted as unknown as { rows: { n: number }[] }).rows[0]!.n).toBeGreaterThan(0)
  })

  it("answers a failed statement with PostgreSQL's error fields (what the services look at)", async () => {
    await handle.db.insert(settings).values({ key: 'thread.unique', value: 1 })
    const error = await handle.db
      .insert(settings)
      .values({ key: 'thread.unique', value: 2 })
      .then(() => null)
      .catch((e: unknown) => e as { cause?: { code?: string; constraint?: string; message?: string } })
    expect(error?.cause?.code).toBe('23505')
    expect(error?.cause?.constraint).toBe('app_settings_pkey')
    expect(error?.cause?.message).toMatch(/duplicate key/)
  })

  it('refuses a parameter that cannot cross to the thread, and goes on answering', async () => {
    await expect(handle.pglite!.query('select $1::text as v', [() => 'a function'])).rejects.toThrow(/could not be cloned/)
    const { rows } = await handle.pglite!.query<{ v: string }>('select $1::text as v', ['text'])
    expect(rows).toEqual([{ v: 'text' }])
  })

  it('commits a transaction, rolls back a failed one, and keeps a savepoint apart', async () => {
    await handle.db.transaction(async (tx) => {
      await tx.insert(settings).values({ key: 'thread.tx.kept', value: 1 })
      await tx
        .transaction(async (inner) => {
          await inner.insert(settings).values({ key: 'thread.tx.savepoint', value: 1 })
          throw new Error('undo the savepoint')
        })
        .catch(() => {})
    })
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.insert(settings).values({ key: 'thread.tx.undone', value: 1 })
        throw new Error('undo')
      }),
    ).rejects.toThrow('undo')
    const keys = (await handle.db.select({ key: settings.key }).from(settings)).map((r) => r.key)
    expect(keys).toContain('thread.tx.kept')
    expect(keys).not.toContain('thread.tx.savepoint')
    expect(keys).not.toContain('thread.tx.undone')
  })

  it('holds every other statement while a transaction is open, as PGlite does', async () => {
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const transaction = handle.db.transaction(async (tx) => {
      await tx.insert(settings).values({ key: 'thread.hold', value: 1 })
      order.push('tx wrote')
      await held
      order.push('tx ends')
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const outside = handle.db
      .select()
      .from(settings)
      .where(eq(settings.key, 'thread.hold'))
      .then((rows) => order.push(`outside saw ${rows.length}`))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(order).toEqual(['tx wrote'])
    release()
    await Promise.all([transaction, outside])
    expect(order).toEqual(['tx wrote', 'tx ends', 'outside saw 1'])
  })

  it('delivers a NOTIFY before the answer of the statement that committed it', async () => {
    const seen: string[] = []
    await handle.listen('thread_test', (payload) => seen.push(payload), () => {})
    await handle.db.execute(sql`select pg_notify('thread_test', 'hello')`)
    expect(seen).toEqual(['hello'])
  })

  it('keeps the app thread free while the database works', async () => {
    // A statement that takes ~300 ms of the database's CPU: this thread's timers still fire on time.
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const started = Date.now()
    await handle.db.execute(sql`select count(*) from generate_series(1, 3000000)`)
    clearInterval(timer)
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThan(50)
    expect(ticks).toBeGreaterThan(elapsed / 10 / 3)
  })

  it('dumps the data dir, and a new thread starts from the dump', async () => {
    const dump = await handle.pglite!.dumpDataDir('gzip')
    const copy = await openPglite({ loadDataDir: dump, thread: THREAD })
    try {
      const rows = await copy.db.select().from(settings).where(eq(settings.key, 'thread.tx.kept'))
      expect(rows).toHaveLength(1)
    } finally {
      await copy.close()
    }
  })

  it('keeps its data in a directory across a close and a start; a closed one answers database_unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tma-pglite-thread-'))
    try {
      const first = await openPglite({ dataDir: dir, thread: THREAD })
      await first.db.execute(sql`create table kept (n int)`)
      await first.db.execute(sql`insert into kept values (42)`)
      await first.close()
      const late = await first.ping().catch((error: unknown) => error)
      expect(infrastructureFailure(late)).toBe('database_unavailable')
      const again = await openPglite({ dataDir: dir, thread: THREAD })
      const result = (await again.db.execute(sql`select n from kept`)) as unknown as { rows: { n: number }[] }
      expect(result.rows).toEqual([{ n: 42 }])
      await again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
