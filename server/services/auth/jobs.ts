import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/** Housekeeping for sign-in: ended rate-limit windows, old sign-in links and dead /admin sessions. */
export const pruneAuthJob = defineJob({
  name: 'auth.prune',
  schema: z.object({}),
  cron: '*/10 * * * *',
  queue: { retryLimit: 0, deadLetter: false },
})
