import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { sql } from 'drizzle-orm'
import type { DatabaseHandle, DbOrTx } from '../../db/client'
import { rowsOf } from '../../db/results'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, packBackup, type BackupEntry, type BackupManifest } from './archive'
import { appliedMigrationLevel } from './schema-level'

/** The app's tables with the columns a restore writes (generated columns are computed again). */
export async function listTables(db: DbOrTx): Promise<{ name: string; columns: string[] }[]> {
  const rows = rowsOf<{ table_name: string; columns: string[] | string }>(
    await db.execute(sql`
      select c.table_name, array_agg(c.column_name::text order by c.ordinal_position) as columns
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      group by c.table_name order by c.table_name`),
  )
  return rows.map((r) => ({ name: r.table_name, columns: typeof r.columns === 'string' ? r.columns.replace(/^\{|\}$/g, '').split(',') : r.columns }))
}

const ident = (name: string) => sql.raw(`"${name.replaceAll('"', '""')}"`)

/**
 * Every row of a table as `row_to_json` text in a stable order (the whole row as text sorts it):
 * what a backup stores and what the round-trip test compares.
 */
export async function readTableRows(db: DbOrTx, table: { name: string; columns: string[] }): Promise<string[]> {
  const columns = sql.raw(table.columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', '))
  const rows = rowsOf<{ r: string }>(await db.execute(sql`select row_to_json(t)::text as r from (select ${columns} from ${ident(table.name)}) t order by 1`))
  return rows.map((row) => row.r)
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/')).sort()
}

export interface BackupOptions {
  /** DATA_DIR: uploaded files under `<dataDir>/files` go into the backup. */
  dataDir?: string
  appVersion: string
}

/**
 * Writes a consistent logical backup: every table of the app, the sequences, pg-boss jobs still
 * waiting to run (reminders, retries, deliveries), and the uploaded files. The database is read in
 * one repeatable-read, read-only transaction, so the copy is one moment even while replicas write.
 */
export async function createBackup(database: DatabaseHandle, options: BackupOptions): Promise<{ bytes: Buffer; manifest: BackupManifest }> {
  const lines: string[] = []
  const tables: Record<string, number> = {}
  let sequences = 0
  let jobs = 0
  const schema = await database.db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`)
    const level = await appliedMigrationLevel(tx)
    for (const table of await listTables(tx)) {
      const rows = await readTableRows(tx, table)
      tables[table.name] = rows.length
      lines.push(JSON.stringify({ kind: 'table', name: table.name, columns: table.columns, rows: rows.length } satisfies BackupEntry), ...rows)
    }
    const seqs = rowsOf<{ name: string; value: string | number | null }>(
      await tx.execute(sql`select sequencename as name, last_value as value from pg_sequences where schemaname = 'public' order by 1`),
    )
    for (const s of seqs) {
      if (s.value === null) continue
      sequences++
      lines.push(JSON.stringify({ kind: 'sequence', name: s.name, value: String(s.value) } satisfies BackupEntry))
    }
    const hasBoss = rowsOf<{ t: string | null }>(await tx.execute(sql`select to_regclass('pgboss.job')::text as t`))[0]?.t
    if (hasBoss) {
      const waiting = rowsOf<{ name: string; job: Record<string, unknown> }>(
        await tx.execute(sql`
          select name, json_build_object('id', id, 'data', data, 'priority', priority, 'retryLimit', retry_limit,
            'retryDelay', retry_delay, 'retryBackoff', retry_backoff, 'retryDelayMax', retry_delay_max,
            'startAfter', start_after, 'singletonKey', singleton_key, 'expireInSeconds', expire_seconds) as job
          from pgboss.job where state in ('created', 'retry', 'active') and name not like '\\_\\_%' order by created_on, id`),
      )
      for (const w of waiting) {
        jobs++
        lines.push(JSON.stringify({ kind: 'job', queue: w.name, job: typeof w.job === 'string' ? JSON.parse(w.job) : w.job } satisfies BackupEntry))
      }
    }
    return level
  })
  let fileCount = 0
  let fileBytes = 0
  if (options.dataDir) {
    const root = resolve(options.dataDir, 'files')
    for (const path of await listFiles(root)) {
      const data = await readFile(join(root, path))
      fileCount++
      fileBytes += data.length
      lines.push(JSON.stringify({ kind: 'file', path, data: data.toString('base64') } satisfies BackupEntry))
    }
  }
  return packBackup(
    {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      appVersion: options.appVersion,
      createdAt: new Date().toISOString(),
      engine: database.kind,
      schema,
      tables,
      sequences,
      jobs,
      files: { count: fileCount, bytes: fileBytes },
    },
    lines,
  )
}
