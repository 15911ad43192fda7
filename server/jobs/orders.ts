import { jobWorker } from './queue'
import type { JobDeps } from '../composition-root'
import { systemContext } from '../services/context'
import { releaseExpiredReservations } from '../services/orders'
import { releaseExpiredOrdersJob } from '../services/orders/jobs'

export const orderWorkers = [
  jobWorker(releaseExpiredOrdersJob, async (_data, { services, logger }: JobDeps & { logger: JobDeps['services']['logger'] }) => {
    const released = await releaseExpiredReservations(systemContext(services, 'orders.release-expired'))
    if (released.length) logger.info('released unpaid orders', { orders: released })
  }),
]
