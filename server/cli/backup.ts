/**
 * `npm run backup [-- --out <file or folder>]`: writes one backup file (database, waiting jobs,
 * uploaded files, with a manifest and a checksum) to BACKUP_DIR (DATA_DIR/backups), or where `--out` says.
 */
import { parseArgs } from 'node:util'
import { openDatabase } from '../db/client'
import { recordBackupStatus, writeBackupFile } from '../services/backup/files'
import { ConfigError, loadConfig } from '../utils/config'
import { appVersion } from '../utils/version'

try {
  const { values } = parseArgs({ options: { out: { type: 'string' } } })
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    const written = await writeBackupFile(database, { dataDir: config.dataDir, appVersion: appVersion(), out: values.out ?? config.backup.dir })
    await recordBackupStatus(database.db, { ok: true, file: written.path, bytes: written.bytes })
    const rows = Object.values(written.manifest.tables).reduce((a, b) => a + b, 0)
    console.log(`backup written: ${written.path} (${written.bytes} bytes; ${Object.keys(written.manifest.tables).length} tables, ${rows} rows, ${written.manifest.jobs} waiting jobs, ${written.manifest.files.count} files; schema ${written.manifest.schema.last}; sha256 ${written.manifest.checksum.body})`)
  } finally {
    await database.close()
  }
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) console.error(`config error: ${p}`)
  else console.error(`backup failed: ${(error as Error).message}`)
  process.exit(1)
}
