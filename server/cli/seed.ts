/**
 * `npm run db:seed`: writes the demo business; safe to run again (existing rows are kept). The demo
 * people and their roles only in the sandbox (no TELEGRAM_BOT_TOKEN).
 */
import { openDatabase } from '../db/client'
import { seedDemoData } from '../services/demo/seed'
import { demoImagesFromFolder } from '../services/demo/images'
import { createFileStore } from '../services/files'
import { ConfigError, loadConfig } from '../utils/config'

try {
  const config = loadConfig()
  const database = await openDatabase(config)
  await database.migrate()
  const counts = await seedDemoData(database.db, { people: config.telegram.sandbox, images: { files: createFileStore(config.dataDir), read: demoImagesFromFolder() } })
  await database.close()
  console.log(`demo data in place: ${JSON.stringify(counts)}`)
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) console.error(`config error: ${p}`)
  else console.error(`seed failed: ${(error as Error).message}`)
  process.exit(1)
}
