import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * A payment that could not apply to its order: the operators (owners and admins) are told in the
 * chat with what to do, and the customer is told the money will come back.
 */
export const paymentFlaggedJob = defineJob({
  name: 'payments.flagged',
  schema: z.object({ paymentId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 10, retryBackoff: true },
})

/** Daily: compares Telegram's Star transactions with our payments and refunds; differences are stored and logged. */
export const reconcileStarsJob = defineJob({
  name: 'payments.reconcile-stars',
  schema: z.object({}),
  cron: '17 3 * * *',
  queue: { retryLimit: 3, retryDelay: 600 },
})
