import { existsSync, statSync } from 'node:fs'
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { DatabaseHandle, DbOrTx } from '../../db/client'
import { getSetting, setSetting } from '../settings'
import { createBackup, type BackupOptions } from './dump'

/** Backup files are named by their UTC time, so the names sort as the times do. */
const NAME = /^tma-backup-(\d{8}T\d{6}Z)\.jsonl\.gz$/

function fileName(at: Date) {
  return `tma-backup-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.jsonl.gz`
}

/**
 * Writes a backup file (atomically: a temporary name renamed into place, so a crash never leaves a
 * half file that looks like a backup). `out` is a file name or a folder (BACKUP_DIR).
 */
export async function writeBackupFile(database: DatabaseHandle, options: BackupOptions & { out: string }) {
  const { bytes, manifest } = await createBackup(database, options)
  const out = resolve(options.out)
  const isFolder = (existsSync(out) && statSync(out).isDirectory()) || options.out.endsWith('/') || !/\.gz$/.test(out)
  const path = isFolder ? join(out, fileName(new Date(manifest.createdAt))) : out
  await mkdir(isFolder ? out : resolve(path, '..'), { recursive: true })
  await writeFile(`${path}.partial`, bytes)
  await rename(`${path}.partial`, path)
  return { path, bytes: bytes.length, manifest }
}

export interface BackupFile {
  name: string
  at: Date
  bytes: number
}

/** The backup files in a folder, newest first. */
export async function listBackupFiles(folder: string): Promise<BackupFile[]> {
  const names = await readdir(folder).catch(() => [] as string[])
  const files: BackupFile[] = []
  for (const name of names) {
    const match = NAME.exec(name)
    if (!match) continue
    const t = match[1]!
    const at = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`)
    files.push({ name, at, bytes: (await stat(join(folder, name))).size })
  }
  return files.sort((a, b) => b.at.getTime() - a.at.getTime())
}

/** Monday of the UTC week a moment falls in, as a key. */
const weekOf = (at: Date) => {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7))
  return day.toISOString().slice(0, 10)
}

/**
 * Which backups a retention of `daily` days and `weekly` weeks keeps: the newest file of each of the
 * last `daily` days that have one, and the newest of each of the last `weekly` weeks.
 */
export function backupsToKeep(files: BackupFile[], retention: { daily: number; weekly: number }): Set<string> {
  const keep = new Set<string>()
  const days = new Set<string>()
  const weeks = new Set<string>()
  for (const file of files) {
    const day = file.at.toISOString().slice(0, 10)
    const week = weekOf(file.at)
    if (!days.has(day) && days.size < retention.daily) {
      days.add(day)
      keep.add(file.name)
    }
    if (!weeks.has(week) && weeks.size < retention.weekly) {
      weeks.add(week)
      keep.add(file.name)
    }
  }
  return keep
}

/** Deletes the backups the retention does not keep; returns their names. */
export async function pruneBackups(folder: string, retention: { daily: number; weekly: number }) {
  const files = await listBackupFiles(folder)
  const keep = backupsToKeep(files, retention)
  const removed = files.filter((f) => !keep.has(f.name)).map((f) => f.name)
  for (const name of removed) await unlink(join(folder, basename(name)))
  return removed
}

/** The outcome of the newest backup attempt, kept for /admin and /metrics. */
export interface BackupStatus {
  at: string
  ok: boolean
  file?: string
  bytes?: number
  error?: string
  /** The last attempt that succeeded (kept when a later one fails). */
  lastSuccessAt?: string
}

export const BACKUP_STATUS_KEY = 'backup.status'

export async function readBackupStatus(db: DbOrTx) {
  return getSetting<BackupStatus>(db, BACKUP_STATUS_KEY)
}

export async function recordBackupStatus(db: DbOrTx, outcome: { ok: true; file: string; bytes: number } | { ok: false; error: string }) {
  const previous = await readBackupStatus(db)
  const at = new Date().toISOString()
  const status: BackupStatus = outcome.ok
    ? { at, ok: true, file: basename(outcome.file), bytes: outcome.bytes, lastSuccessAt: at }
    : { at, ok: false, error: outcome.error.slice(0, 500), lastSuccessAt: previous?.lastSuccessAt }
  await setSetting(db, BACKUP_STATUS_KEY, status)
  return status
}
