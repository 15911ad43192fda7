import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema'
import { startPgliteThread, type PgliteClient } from './pglite-thread'

export type Schema = typeof schema
/** The one database type services take: the same on PGlite and PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
/** A database or an open transaction: services accept either, so callers can compose them. */
export type DbOrTx = Database | Transaction

/**
 * LISTEN on a channel: `onNotify` gets each NOTIFY payload (sent by the database at commit, to every
 * process listening: all replicas); `onListening` runs once the LISTEN is in place and again after
 * every reconnect (notifications may have been missed while it was down: drop everything then).
 */
export type ListenFn = (channel: string, onNotify: (payload: string) => void, onListening: () => void) => Promise<void>

export interface DatabaseHandle {
  kind: 'pglite' | 'postgres'
  db: Database
  /** Set on the embedded database only: pg-boss runs on the same instance through it. */
  pglite?: PgliteClient
  /** Set on PostgreSQL only: pg-boss opens its own pool with it. */
  url?: string
  migrate(): Promise<void>
  ping(): Promise<void>
  close(): Promise<void>
  /** LISTEN for NOTIFYs on `channel` (read models: server/db/read-model.ts). */
  listen: ListenFn
  /**
   * Set on PGlite's first start in a data dir only: closes this instance and opens the same dir
   * again (see openPglite); use the handle it returns from then on.
   */
  reopen?: () => Promise<DatabaseHandle>
}

/** Where the generated SQL migrations live: next to the app (`drizzle/`), or `MIGRATIONS_DIR`. */
export function migrationsFolder() {
  const candidates = [process.env.MIGRATIONS_DIR, resolve(process.cwd(), 'drizzle'), resolve(import.meta.dirname ?? '.', '../../drizzle')]
  const found = candidates.find((dir) => dir && existsSync(resolve(dir, 'meta/_journal.json')))
  if (!found) throw new Error(`Cannot find the drizzle/ migrations folder (looked in ${candidates.filter(Boolean).join(', ')}); set MIGRATIONS_DIR`)
  return found
}

const extensions = { btree_gist, pg_trgm }

/**
 * PGlite's defaults plus smaller PostgreSQL buffers: 128 MB of shared buffers are memory the
 * process keeps (RSS) for a database that is tens of MB; the data files stay in the OS page
 * cache, which PGlite reads through. 16 MB took RSS at ready from ~350 to ~220 MB for PGlite alone.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB']

export interface PgliteOptions {
  /** In memory when not set (tests). */
  dataDir?: string
  /** A snapshot to start from (`dumpDataDir`). */
  loadDataDir?: Blob
  /**
   * Runs PGlite on a worker thread loaded from this file (server/workers/pglite.ts, built into
   * `.output/server/workers/pglite.mjs`), off the app's event loop: see server/db/pglite-thread.ts.
   * Without it PGlite runs on the calling thread (the operator commands, `TEST_PGLITE_THREAD=main`).
   */
  thread?: string | URL
}

/** Opens the embedded database. */
export async function openPglite(options: PgliteOptions = {}): Promise<DatabaseHandle> {
  const freshDataDir = !!options.dataDir && (!existsSync(options.dataDir) || readdirSync(options.dataDir).length === 0)
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  // On a thread, the client can also reopen PGlite on that thread (see the first start below).
  const open = async (): Promise<PgliteClient & { reopen?: () => Promise<void> }> => {
    if (!options.thread) return PGlite.create({ dataDir: options.dataDir, extensions, loadDataDir: options.loadDataDir, startParams: PGLITE_START_PARAMS }) as Promise<PgliteClient>
    const loadDataDir = options.loadDataDir && new Uint8Array(await options.loadDataDir.arrayBuffer())
    return startPgliteThread(options.thread, { dataDir: options.dataDir, loadDataDir, startParams: PGLITE_START_PARAMS })
  }
  const handle = (pglite: PgliteClient, reopen?: () => Promise<DatabaseHandle>): DatabaseHandle => {
    const db = drizzlePglite({ client: pglite as PGlite, schema, casing: 'snake_case' }) as unknown as Database
    return {
      kind: 'pglite',
      db,
      pglite,
      reopen,
      migrate: () => migratePglite(db as never, { migrationsFolder: migrationsFolder() }),
      ping: async () => {
        await pglite.query('select 1')
      },
      close: async () => {
        if (!pglite.closed) await pglite.close()
      },
      // In-process: PGlite calls the listener right after the statement whose commit sent the NOTIFY.
      listen: async (channel, onNotify, onListening) => {
        await pglite.listen(channel, onNotify)
        onListening()
      },
    }
  }
  if (!options.dataDir || options.loadDataDir || !freshDataDir) return handle(await open())
  const first = await open()
  // A first start in a data dir: initdb, then the caller's migrations and demo seed, leave ~60-300
  // MB of WebAssembly memory touched that the instance never gives back. `reopen` (once the caller
  // is done with that) closes it and opens the same dir again, so that the process runs on a fresh
  // instance's memory, as on every later start.
  return handle(first, async () => {
    // On a thread, on the same thread: a new thread would cost its own ~14 MB, and the memory of
    // the one it replaced is not given back to the system (its malloc arena stays with the process).
    if (first.reopen) {
      await first.reopen()
      ;(globalThis as { gc?: () => void }).gc?.()
      return handle(first)
    }
    await first.close()
    const again = handle(await open())
    // The closed instance holds its memory and initdb's copy of it until V8's next full
    // collection, which may come long after ready: collect it now when node runs with --expose-gc.
    ;(globalThis as { gc?: () => void }).gc?.()
    return again
  })
}

/**
 * Whether the database lacks a migration from the folder. Read-only, so an app running as a role
 * that may not create anything (docs/audit-log.md) starts when migrations were applied beforehand
 * by the owner role (`npm run db:migrate`); drizzle's migrator itself always issues
 * CREATE SCHEMA/TABLE IF NOT EXISTS first, which such a role may not.
 */
async function hasPendingMigrations(db: Database, folder: string): Promise<boolean> {
  const journal = JSON.parse(readFileSync(resolve(folder, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] }
  const newest = Math.max(0, ...journal.entries.map((e) => e.when))
  try {
    const rows = (await db.execute(sql`select max(created_at) as last from drizzle.__drizzle_migrations`)) as unknown as { last: string | null }[]
    return Number(rows[0]?.last ?? 0) < newest
  } catch {
    return true // no migrations table yet
  }
}

type PostgresClient = ReturnType<typeof postgres>

/**
 * The client drizzle gets: every query as a prepared statement. drizzle asks postgres.js for
 * unprepared ones, and for those postgres.js first sends Parse/Describe and waits for the
 * parameter types before it sends Bind/Execute: two round trips and a parse and plan on the server
 * for every query that has parameters (the hot paths' profiles had a third of the app's CPU in
 * socket writes). Prepared, a query's text is parsed once per connection and each later run is one
 * write and one round trip. postgres.js keeps the statements per connection, re-prepares one the
 * schema invalidated, and its connections are replaced after 30-60 minutes (`max_lifetime`).
 */
function preparing(client: PostgresClient): PostgresClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') return (query: string, parameters?: never[], options?: object) => target.unsafe(query, parameters, { ...options, prepare: true })
      // A transaction (and a savepoint in it) runs on a scoped client of its own: the same there.
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const run = args.pop() as (scoped: PostgresClient) => unknown
          const scope = Reflect.get(target, property) as (...a: unknown[]) => unknown
          return scope.apply(target, [...args, (scoped: PostgresClient) => run(preparing(scoped))])
        }
      }
      return Reflect.get(target, property, receiver)
    },
  })
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<DatabaseHandle> {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { application_name: 'tma-platform' } })
  const db = drizzlePostgres({ client: preparing(client), schema, casing: 'snake_case' }) as unknown as Database
  return {
    kind: 'postgres',
    db,
    url,
    migrate: async () => {
      const folder = migrationsFolder()
      if (await hasPendingMigrations(db, folder)) await migratePostgres(db as never, { migrationsFolder: folder })
    },
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    close: () => client.end({ timeout: 5 }),
    // postgres.js keeps one more connection for LISTEN and reconnects it by itself, calling onListening again.
    listen: async (channel, onNotify, onListening) => {
      await client.listen(channel, onNotify, onListening)
    },
  }
}

/** PostgreSQL when a URL is configured, otherwise PGlite in `<dataDir>/pglite` (on a thread from `pgliteThread` when given). */
export function openDatabase(config: { databaseUrl?: string; dataDir: string }, pgliteThread?: string) {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite({ dataDir: resolve(config.dataDir, 'pglite'), thread: pgliteThread })
}
