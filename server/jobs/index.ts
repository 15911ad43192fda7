import type { JobWorker } from './queue'
import type { JobDeps } from '../composition-root'
import { accountWorkers } from './account'
import { authWorkers } from './auth'
import { formWorkers } from './forms'
import { backupWorkers } from './backup'
import { bookingWorkers } from './booking'
import { broadcastWorkers } from './broadcasts'
import { integrationWorkers } from './integrations'
import { notificationWorkers } from './notifications'
import { orderWorkers } from './orders'
import { paymentWorkers } from './payments'
import { supportWorkers } from './support'
import { telegramWorkers } from './telegram'

/**
 * Every job the app runs, each declaration with its worker. Only the composition root imports this
 * list; services enqueue a job through its declaration (`services/<module>/jobs.ts`), which imports
 * no worker, so nothing imports in a circle.
 */
export const jobWorkers: JobWorker<JobDeps>[] = [...telegramWorkers, ...authWorkers, ...orderWorkers, ...notificationWorkers, ...paymentWorkers, ...supportWorkers, ...backupWorkers, ...integrationWorkers, ...formWorkers, ...accountWorkers, ...bookingWorkers, ...broadcastWorkers]
