import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { sql } from 'drizzle-orm'
import { migrationsFolder, type DbOrTx } from '../../db/client'
import { rowsOf } from '../../db/results'

export interface MigrationEntry {
  idx: number
  when: number
  tag: string
}

/** The migrations this release ships (drizzle/meta/_journal.json), oldest first. */
export function shippedMigrations(folder = migrationsFolder()): MigrationEntry[] {
  const journal = JSON.parse(readFileSync(resolve(folder, 'meta/_journal.json'), 'utf8')) as { entries: MigrationEntry[] }
  return [...journal.entries].sort((a, b) => a.when - b.when)
}

/** The database's migration level: drizzle records each applied migration with the journal's `when`. */
export async function appliedMigrationLevel(db: DbOrTx, folder = migrationsFolder()) {
  const [row] = rowsOf<{ count: string | number; last: string | number | null }>(
    await db.execute(sql`select count(*) as count, max(created_at) as last from drizzle.__drizzle_migrations`),
  )
  const lastWhen = Number(row?.last ?? 0)
  const last = shippedMigrations(folder).find((m) => m.when === lastWhen)?.tag ?? null
  return { migrations: Number(row?.count ?? 0), last, lastWhen }
}
