import type { AppConfig } from './config'
import { secretValues } from './config'
import { createLogger, type Logger } from './logger'
import { createMetrics, readAtMostEvery, type Metrics } from './metrics'
import type { JobQueue } from '../jobs/queue'
import { startServices, type AppServices } from '../composition-root'
import { readBackupStatus } from '../services/backup/files'
import { openUpdateCounts } from '../services/telegram/updates'
import { businessTotals } from '../services/insights'
import { listConnectorHealth } from '../services/integrations/admin'

export type { AppServices, JobDeps } from '../composition-root'
export { deriveWebhookSecret } from '../composition-root'

/** The process's one app instance: config, logger and metrics at once, the rest behind `ready`. */
export interface Bootstrap {
  config: AppConfig
  logger: Logger
  metrics: Metrics
  ready: Promise<AppServices>
}

let current: Bootstrap | undefined

/**
 * The business totals in /metrics (orders placed and paid, bookings, conversations, opens, carts)
 * count whole tables that only grow. Read at most this often per process: scrapes closer together
 * (a second Prometheus, a watcher polling for a counter) get the last reading, and the database
 * does not count the shop's history several times a second while customers pay.
 */
const BUSINESS_TOTALS_MS = 10_000

/**
 * Starts the app once per process. Config is checked synchronously (a bad value throws here,
 * before the server takes a request); the database, queue and bot come up behind `ready`
 * (server/composition-root.ts builds them).
 */
export function bootstrap(config: AppConfig): Bootstrap {
  if (current) return current
  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) })
  let queue: JobQueue | undefined
  const business = readAtMostEvery(BUSINESS_TOTALS_MS, (services: AppServices) => businessTotals(services.db))
  const metrics = createMetrics(
    async () => queue?.depth(),
    async () => {
      const services = await ready.catch(() => undefined)
      if (!services) return undefined
      try {
        const [backup, updates, integrations, totals] = await Promise.all([readBackupStatus(services.db), openUpdateCounts(services.db), listConnectorHealth(services.db, services.config), business(services).catch(() => undefined)])
        return { backup, updates, integrations, business: totals }
      } catch (error) {
        // The scrape goes on without these gauges; say why, or an alert on them goes quiet unexplained.
        logger.warn('metrics: reading the operations figures failed', { error })
        throw error
      }
    },
  )
  const ready = startServices(config, logger, metrics, (q) => (queue = q))
  // Keep the rejection observable by awaiters without crashing the process as "unhandled".
  ready.catch(() => {})
  current = { config, logger, metrics, ready }
  return current
}

/** The cached readiness promise: routes await it, so no request sees a half-initialised database. */
export function useServices(): Promise<AppServices> {
  if (!current) throw new Error('runtime not bootstrapped')
  return current.ready
}

export function useBootstrap(): Bootstrap | undefined {
  return current
}

/** Closes the running instance (SIGTERM path and tests). */
export async function shutdown() {
  const instance = current
  if (!instance) return
  current = undefined
  const services = await instance.ready.catch(() => undefined)
  await services?.close()
}
