import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * The scheduled backup (BACKUP_SCHEDULE, daily by default): one file into BACKUP_DIR, then the
 * retention. pg-boss plans it once for all replicas. A failure is recorded for /admin and
 * /metrics and told to the owners and admins in the chat; it is not retried (the next run is).
 */
export const backupJob = defineJob({
  name: 'system.backup',
  schema: z.object({}),
  queue: { retryLimit: 0, expireInSeconds: 3600, deadLetter: false },
})
