/**
 * `npm run restore -- <file> [--force]`: restores a backup written by `npm run backup` into
 * DATABASE_URL (or the PGlite in DATA_DIR), files into DATA_DIR/files. Refuses a corrupt file, a
 * backup from a newer schema, and a database that already holds an app unless `--force`.
 * Stop the app first.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase } from '../db/client'
import { jobDefinitions } from '../jobs/definitions'
import { BackupRefused } from '../services/backup/archive'
import { jobRestorer } from '../services/backup/jobs-restore'
import { restoreBackup } from '../services/backup/restore'
import { ConfigError, loadConfig } from '../utils/config'
import { createLogger } from '../utils/logger'

try {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true })
  const file = positionals[0]
  if (!file) {
    console.error('usage: npm run restore -- <backup file> [--force]')
    process.exit(1)
  }
  const config = loadConfig()
  const bytes = readFileSync(file)
  const database = await openDatabase(config)
  try {
    const logger = createLogger({ level: 'warn' })
    const result = await restoreBackup(database, bytes, {
      force: values.force,
      dataDir: config.dataDir,
      restoreJobs: jobRestorer(database, jobDefinitions, logger),
    })
    const rows = Object.values(result.tables).reduce((a, b) => a + b, 0)
    console.log(`restored ${file} into ${database.kind}: ${Object.keys(result.tables).length} tables, ${rows} rows (every count matches the manifest), ${result.jobs} waiting jobs, ${result.files} files; backup of ${result.manifest.createdAt} from ${result.manifest.engine} at ${result.manifest.schema.last}${result.migratedAfter ? `, then ${result.migratedAfter} newer migrations applied` : ''}`)
  } finally {
    await database.close()
  }
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) console.error(`config error: ${p}`)
  else if (error instanceof BackupRefused) console.error(`restore refused: ${error.message}`)
  else console.error(`restore failed: ${(error as Error).message}`)
  process.exit(error instanceof BackupRefused ? 2 : 1)
}
