/**
 * Counts rows straight from the database the app used: PostgreSQL while it runs, or the PGlite
 * data dir after it stopped (PGlite is single-process). `countStored`: `telegram_updates` in an id range.
 */
import { PGlite } from '@electric-sql/pglite'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import postgres from 'postgres'

export interface IdRange { from: number; to: number }
export interface StoredCount { rows: number; distinctIds: number; done: number; pending: number; failed: number }

const SQL = `select count(*)::int as rows, count(distinct update_id)::int as "distinctIds",
  (count(*) filter (where status = 'done'))::int as done,
  (count(*) filter (where status in ('pending', 'processing')))::int as pending,
  (count(*) filter (where status = 'failed'))::int as failed
  from telegram_updates where update_id between $1 and $2`

export type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>
export interface DbTarget { dataDir?: string; databaseUrl?: string }

/** Runs `work` with a query function on the app's database (PostgreSQL, or its PGlite dir once the app stopped). */
export async function withDb<R>(target: DbTarget, work: (query: Query) => Promise<R>): Promise<R> {
  if (target.databaseUrl) {
    const sql = postgres(target.databaseUrl, { max: 1, onnotice: () => {} })
    try {
      return await work(async <T>(text: string, params: unknown[] = []) => (await sql.unsafe(text, params as never[])) as unknown as T[])
    } finally {
      await sql.end()
    }
  }
  const dir = join(target.dataDir!, 'pglite') // where the app keeps it: <DATA_DIR>/pglite
  if (!existsSync(dir)) throw new Error(`no PGlite database in ${dir}`)
  const db = await PGlite.create({ dataDir: dir, extensions: { btree_gist, pg_trgm } })
  try {
    return await work(async <T>(text: string, params: unknown[] = []) => (await db.query<T>(text, params)).rows)
  } finally {
    await db.close()
  }
}

export async function countStored(target: DbTarget, ranges: IdRange[]): Promise<StoredCount[]> {
  return withDb(target, async (query) => {
    const out: StoredCount[] = []
    for (const r of ranges) out.push((await query<StoredCount>(SQL, [r.from, r.to]))[0]!)
    return out
  })
}
