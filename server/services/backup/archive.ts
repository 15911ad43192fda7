import { createHash } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import { z } from 'zod'

/**
 * The backup file: one gzip of JSON lines. The first line is the manifest; every line after it is
 * the body, whose SHA-256 the manifest carries, so a truncated, edited or bit-flipped file is
 * refused before anything is written. One logical format for both engines: a PGlite backup
 * restores into PostgreSQL (the path a growing business takes) and back.
 */
export const BACKUP_FORMAT = 'tma-platform-backup'
export const BACKUP_FORMAT_VERSION = 1

export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  appVersion: z.string(),
  createdAt: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  /** The migration level: how many were applied and the newest one's tag and timestamp (drizzle's `when`). */
  schema: z.object({ migrations: z.number().int(), last: z.string().nullable(), lastWhen: z.number() }),
  /** Rows per table, checked again after a restore. */
  tables: z.record(z.string(), z.number().int()),
  sequences: z.number().int(),
  jobs: z.number().int(),
  files: z.object({ count: z.number().int(), bytes: z.number().int() }),
  checksum: z.object({ algorithm: z.literal('sha256'), body: z.string().regex(/^[0-9a-f]{64}$/) }),
})
export type BackupManifest = z.infer<typeof BackupManifestSchema>

/** One body line. Table rows follow their `table` line as raw `row_to_json` text. */
export type BackupEntry =
  | { kind: 'table'; name: string; columns: string[]; rows: number }
  | { kind: 'sequence'; name: string; value: string }
  | { kind: 'job'; queue: string; job: Record<string, unknown> }
  | { kind: 'file'; path: string; data: string }

/** Why a file cannot be restored; the message is meant for the person running the command. */
export class BackupRefused extends Error {
  constructor(
    readonly reason: 'corrupt' | 'newer_schema' | 'unknown_schema' | 'not_empty' | 'unsupported_format',
    message: string,
  ) {
    super(message)
  }
}

export function packBackup(manifest: Omit<BackupManifest, 'checksum'>, bodyLines: string[]): { bytes: Buffer; manifest: BackupManifest } {
  const body = bodyLines.join('\n')
  const full: BackupManifest = { ...manifest, checksum: { algorithm: 'sha256', body: createHash('sha256').update(body, 'utf8').digest('hex') } }
  return { bytes: gzipSync(Buffer.from(`${JSON.stringify(full)}\n${body}`, 'utf8'), { level: 6 }), manifest: full }
}

/** Reads and checks a backup file: gzip intact, manifest valid, body matching its checksum. */
export function unpackBackup(bytes: Buffer): { manifest: BackupManifest; lines: string[] } {
  let text: string
  try {
    text = gunzipSync(bytes).toString('utf8')
  } catch (error) {
    throw new BackupRefused('corrupt', `the file is not a readable backup (gzip: ${(error as Error).message})`)
  }
  const cut = text.indexOf('\n')
  const head = cut === -1 ? text : text.slice(0, cut)
  const body = cut === -1 ? '' : text.slice(cut + 1)
  let parsed: unknown
  try {
    parsed = JSON.parse(head)
  } catch {
    throw new BackupRefused('corrupt', 'the file has no backup manifest on its first line')
  }
  if ((parsed as { format?: unknown })?.format !== BACKUP_FORMAT) throw new BackupRefused('unsupported_format', 'the file is not a tma-platform backup')
  const manifest = BackupManifestSchema.safeParse(parsed)
  if (!manifest.success) throw new BackupRefused('corrupt', `the backup manifest is damaged: ${manifest.error.issues[0]?.message}`)
  if (manifest.data.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupRefused('unsupported_format', `the backup was written in format ${manifest.data.formatVersion}; this version of the app reads up to ${BACKUP_FORMAT_VERSION}: upgrade the app first`)
  }
  const actual = createHash('sha256').update(body, 'utf8').digest('hex')
  if (actual !== manifest.data.checksum.body) throw new BackupRefused('corrupt', `the backup is corrupt: its content does not match the manifest's checksum (expected ${manifest.data.checksum.body.slice(0, 12)}..., got ${actual.slice(0, 12)}...)`)
  return { manifest: manifest.data, lines: body === '' ? [] : body.split('\n') }
}
