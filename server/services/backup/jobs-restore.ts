import type { JobInsert } from 'pg-boss'
import type { DatabaseHandle } from '../../db/client'
import { JobQueue, type JobDefinition } from '../../jobs/queue'
import type { Logger } from '../../utils/logger'

/**
 * Puts a backup's waiting jobs back: pg-boss is started on the restored database, the app's queues
 * are created with their own options (as a start of the app does), and each job is inserted with
 * its id, payload and retry state. A job whose queue this release no longer has is reported.
 */
export function jobRestorer(database: DatabaseHandle, definitions: readonly JobDefinition[], logger: Logger) {
  return async (jobs: Map<string, JobInsert[]>) => {
    const queue = new JobQueue(database, logger)
    await queue.start()
    try {
      await queue.register(definitions)
      const known = new Set(definitions.flatMap((d) => [d.name, `${d.name}.dead`]))
      for (const [name, list] of jobs) {
        if (!known.has(name)) {
          logger.warn('backup has jobs for a queue this release does not have; skipped', { queue: name, jobs: list.length })
          continue
        }
        await queue.boss.insert(name, list)
      }
    } finally {
      await queue.stop(1000)
    }
  }
}
