import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Cancels unpaid orders whose payment window has ended and returns their stock. Runs every
 * minute, and once more right when each order's window ends (queued at checkout).
 */
export const releaseExpiredOrdersJob = defineJob({
  name: 'orders.release-expired',
  schema: z.object({ orderId: z.number().int().optional() }),
  cron: '* * * * *',
  queue: { retryLimit: 5 },
})
