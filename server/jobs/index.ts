import { configureTelegramJob, retryTelegramUpdateJob, retryTelegramUpdatesJob } from './telegram'
import { pruneAuthJob } from './auth'
import { releaseExpiredOrdersJob } from './orders'
import { orderStatusNotificationJob } from './notifications'
import { paymentFlaggedJob, reconcileStarsJob } from './payments'

export type { JobDeps } from './deps'
export { configureTelegramJob, retryTelegramUpdateJob, retryTelegramUpdatesJob, pruneAuthJob, releaseExpiredOrdersJob, orderStatusNotificationJob, paymentFlaggedJob, reconcileStarsJob }

/** Every job the app runs; the queue creates their queues (and dead-letter queues) on start. */
export const jobDefinitions = [configureTelegramJob, retryTelegramUpdateJob, retryTelegramUpdatesJob, pruneAuthJob, releaseExpiredOrdersJob, orderStatusNotificationJob, paymentFlaggedJob, reconcileStarsJob]
