/** `npm run db:migrate`: applies the generated migrations to DATABASE_URL, or to PGlite in DATA_DIR. */
import { openDatabase } from '../db/client'
import { ConfigError, loadConfig } from '../utils/config'

try {
  const config = loadConfig()
  const database = await openDatabase(config)
  await database.migrate()
  await database.close()
  console.log(`migrations applied (${database.kind}${database.kind === 'pglite' ? ` in ${config.dataDir}` : ''})`)
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) console.error(`config error: ${p}`)
  else console.error(`migration failed: ${(error as Error).message}`)
  process.exit(1)
}
