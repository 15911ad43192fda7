import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'
import { sql } from 'drizzle-orm'
import type { JobInsert } from 'pg-boss'
import { migrationsFolder, type DatabaseHandle } from '../../db/client'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { rowsOf } from '../../db/results'
import { BackupRefused, unpackBackup, type BackupEntry, type BackupManifest } from './archive'
import { listTables } from './dump'
import { shippedMigrations } from './schema-level'

const ROWS_PER_INSERT = 500

/** Checks a backup against this release before anything is touched: newer or unknown schemas are refused. */
export function checkBackup(bytes: Buffer, folder = migrationsFolder()) {
  const { manifest, lines } = unpackBackup(bytes)
  const shipped = shippedMigrations(folder)
  const newest = shipped.at(-1)
  if (manifest.schema.lastWhen > (newest?.when ?? 0)) {
    throw new BackupRefused('newer_schema', `the backup's schema is newer than this app (backup at migration ${manifest.schema.last ?? manifest.schema.lastWhen}, ${manifest.schema.migrations} migrations; this app has ${shipped.length}, up to ${newest?.tag}): upgrade the app to ${manifest.appVersion} or later, then restore`)
  }
  if (manifest.schema.migrations > 0 && !shipped.some((m) => m.when === manifest.schema.lastWhen)) {
    throw new BackupRefused('unknown_schema', `the backup's migration level (${manifest.schema.last ?? manifest.schema.lastWhen}) is not one this app knows: restore it with the release that wrote it (${manifest.appVersion})`)
  }
  return { manifest, lines, target: shipped.filter((m) => m.when <= manifest.schema.lastWhen) }
}

/** Whether the database already holds the app (a migrations table); a restore replaces it only when told. */
async function holdsAnApp(database: DatabaseHandle) {
  const [row] = rowsOf<{ t: string | null }>(await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`))
  return Boolean(row?.t)
}

/** Migrates up to the backup's level only (a copy of drizzle/ with the journal cut there), so its rows fit the tables as they were. */
async function migrateTo(database: DatabaseHandle, level: { tag: string }[]) {
  const source = migrationsFolder()
  const folder = mkdtempSync(join(tmpdir(), 'tma-restore-migrations-'))
  try {
    cpSync(source, folder, { recursive: true })
    const journal = { version: '7', dialect: 'postgresql', entries: shippedMigrations(source).filter((m) => level.some((l) => l.tag === m.tag)) }
    mkdirSync(join(folder, 'meta'), { recursive: true })
    writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal))
    if (database.kind === 'pglite') await migratePglite(database.db as never, { migrationsFolder: folder })
    else await migratePostgres(database.db as never, { migrationsFolder: folder })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

export interface RestoreOptions {
  /** Replace a database that already holds the app (its data is dropped). */
  force?: boolean
  /** DATA_DIR: the backup's files are written under `<dataDir>/files`. */
  dataDir?: string
  /** Puts the backup's waiting jobs back; called after the schema is current (pg-boss needs its queues). */
  restoreJobs?: (jobs: Map<string, JobInsert[]>) => Promise<void>
}

export interface RestoreResult {
  manifest: BackupManifest
  tables: Record<string, number>
  files: number
  jobs: number
  migratedAfter: number
}

/**
 * Restores a backup into the configured database: checks the file (checksum, schema level), clears
 * the database (only with `force` when it holds an app), migrates to the backup's level, loads every
 * row as it was (with triggers off, so the audit log's stored hash chain is kept byte for byte and
 * foreign keys need no order), sets the sequences, applies the migrations written since, checks the
 * row counts against the manifest, then puts files and waiting jobs back.
 */
export async function restoreBackup(database: DatabaseHandle, bytes: Buffer, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { manifest, lines, target } = checkBackup(bytes)
  if (await holdsAnApp(database)) {
    if (!options.force) throw new BackupRefused('not_empty', 'the database already holds an app: restore into an empty database, or pass --force to replace everything in it')
    for (const statement of ['drop schema if exists pgboss cascade', 'drop schema if exists drizzle cascade', 'drop schema public cascade', 'create schema public']) {
      await database.db.execute(sql.raw(statement))
    }
  }
  await migrateTo(database, target)

  const jobs = new Map<string, JobInsert[]>()
  const files: { path: string; data: string }[] = []
  await database.db.transaction(async (tx) => {
    // Triggers (the audit chain's link and append-only guards, foreign keys) stay off for this
    // transaction: rows come back as they were, not as new writes.
    await tx.execute(sql`set local session_replication_role = replica`)
    const present = await listTables(tx)
    if (present.length) await tx.execute(sql.raw(`truncate ${present.map((t) => `"${t.name}"`).join(', ')}`))
    const known = new Set(present.map((t) => t.name))
    for (let i = 0; i < lines.length; i++) {
      const entry = JSON.parse(lines[i]!) as BackupEntry
      if (entry.kind === 'table') {
        if (!known.has(entry.name)) throw new BackupRefused('corrupt', `the backup names a table this schema level lacks: ${entry.name}`)
        const rows = lines.slice(i + 1, i + 1 + entry.rows)
        i += entry.rows
        const columns = entry.columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ')
        for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
          const chunk = `[${rows.slice(at, at + ROWS_PER_INSERT).join(',')}]`
          await tx.execute(sql`insert into ${sql.raw(`"${entry.name}"`)} (${sql.raw(columns)}) overriding system value
            select ${sql.raw(columns)} from json_populate_recordset(null::${sql.raw(`"${entry.name}"`)}, ${chunk}::json)`)
        }
      } else if (entry.kind === 'sequence') {
        await tx.execute(sql`select setval(${`public."${entry.name}"`}::regclass, ${entry.value}::bigint, true)`)
      } else if (entry.kind === 'job') {
        jobs.set(entry.queue, [...(jobs.get(entry.queue) ?? []), entry.job as JobInsert])
      } else if (entry.kind === 'file') {
        files.push(entry)
      }
    }
  })

  const before = shippedMigrations().length
  await database.migrate()
  const tables: Record<string, number> = {}
  for (const [name, expected] of Object.entries(manifest.tables)) {
    const [row] = rowsOf<{ n: string | number }>(await database.db.execute(sql`select count(*) as n from ${sql.raw(`"${name}"`)}`))
    tables[name] = Number(row?.n ?? 0)
    if (tables[name] !== expected) throw new Error(`restore check failed: table ${name} has ${tables[name]} rows, the backup ${expected}`)
  }

  if (options.dataDir && files.length) {
    const root = resolve(options.dataDir, 'files')
    for (const file of files) {
      const full = resolve(root, file.path)
      if (!full.startsWith(root + sep)) throw new BackupRefused('corrupt', `the backup names a file outside the files folder: ${file.path}`)
      await mkdir(dirname(full), { recursive: true })
      await writeFile(full, Buffer.from(file.data, 'base64'))
    }
  }
  let jobCount = 0
  if (jobs.size && options.restoreJobs) {
    await options.restoreJobs(jobs)
    for (const list of jobs.values()) jobCount += list.length
  }
  return { manifest, tables, files: files.length, jobs: jobCount, migratedAfter: before - target.length }
}
