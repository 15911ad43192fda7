import { z } from 'zod'
import { defineJob } from './queue'
import type { JobDeps } from './deps'
import { releaseExpiredReservations } from '../services/orders'
import { enqueueOrderNotification } from './notifications'

/**
 * Cancels unpaid orders whose payment window has ended and returns their stock. Runs every
 * minute, and once more right when each order's window ends (queued at checkout).
 */
export const releaseExpiredOrdersJob = defineJob({
  name: 'orders.release-expired',
  schema: z.object({ orderId: z.number().int().optional() }),
  cron: '* * * * *',
  queue: { retryLimit: 5 },
  async handle(_data, { services, logger }: JobDeps & { logger: { info: (m: string, f?: object) => void } }) {
    const released = await releaseExpiredReservations(services.db)
    if (released.length) logger.info('released unpaid orders', { orders: released })
    for (const orderId of released) await enqueueOrderNotification(services, orderId, 'cancelled')
  },
})
