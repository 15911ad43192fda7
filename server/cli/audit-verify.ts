/**
 * `npm run audit:verify`: recomputes the audit log's hash chain from the first entry to the head.
 * Exit 0 and the head hash when intact (keep it outside the database: a later run must reach the
 * same hash through the same links), exit 2 naming the first broken link, 1 when it cannot run.
 */
import { openDatabase } from '../db/client'
import { verifyAuditChain } from '../services/audit/chain'
import { ConfigError, loadConfig } from '../utils/config'

try {
  const config = loadConfig()
  const database = await openDatabase(config)
  const status = await verifyAuditChain(database.db)
  await database.close()
  if (status.ok) {
    console.log(`audit chain intact: ${status.entries} entries, head ${status.headHash}`)
  } else {
    const at = status.brokenAt!
    console.error(`audit chain BROKEN at link ${at.seq}${at.entryId ? ` (entry id ${at.entryId})` : ''}: ${at.reason}; ${status.entries} entries before it verify`)
    process.exit(2)
  }
} catch (error) {
  if (error instanceof ConfigError) for (const p of error.problems) console.error(`config error: ${p}`)
  else console.error(`audit verification failed: ${(error as Error).message}`)
  process.exit(1)
}
