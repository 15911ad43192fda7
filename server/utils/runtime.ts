import { createHmac, randomBytes, randomInt } from 'node:crypto'
import type { AppConfig } from './config'
import { secretValues } from './config'
import { createLogger, type Logger } from './logger'
import { createMetrics, type Metrics } from './metrics'
import { openDatabase, type DatabaseHandle, type Database } from '../db/client'
import { JobQueue } from '../jobs/queue'
import { createBot, type Bot } from '../bot'
import { registerPaymentHandlers } from '../bot/payments'
import { ensureSetting, getSetting } from '../services/settings'
import { DEMO_BUSINESS } from '../services/demo/seed-data'
import { seedDemoData, isDatabaseEmpty, removeSandboxStaffRoles } from '../services/demo/seed'
import { createFakeBotApi, type FakeBotApi } from '../telegram/fake-bot-api'
import { jobDefinitions, configureTelegramJob, retryTelegramUpdatesJob, type JobDeps } from '../jobs'
import { startPolling } from '../services/telegram/polling'

/** Everything a request or a job needs, built once per process after the database is ready. */
export interface AppServices {
  config: AppConfig
  logger: Logger
  metrics: Metrics
  database: DatabaseHandle
  db: Database
  queue: JobQueue<JobDeps>
  bot: Bot
  telegram: {
    token: string
    webhookSecret: string
    /** The fake Bot API serving this process when no real token is configured. */
    sandbox?: FakeBotApi
  }
  /** Work started by a request that must finish before shutdown (update handling after the 200). */
  track(promise: Promise<unknown>): void
  close(): Promise<void>
}

interface Bootstrap {
  config: AppConfig
  logger: Logger
  metrics: Metrics
  ready: Promise<AppServices>
}

let current: Bootstrap | undefined

/** A bot token that looks real, for the sandbox; generated once per installation and kept in the database. */
function generateSandboxToken() {
  return `${randomInt(1_000_000_000, 9_999_999_999)}:${randomBytes(27).toString('base64url')}`
}

/** The webhook secret every replica derives from the token, unless TELEGRAM_WEBHOOK_SECRET is set. */
export function deriveWebhookSecret(token: string) {
  return createHmac('sha256', token).update('telegram-webhook-secret').digest('base64url')
}

async function startServices(config: AppConfig, logger: Logger, metrics: Metrics, setQueue: (q: JobQueue<JobDeps>) => void): Promise<AppServices> {
  const started = Date.now()
  const database = await openDatabase(config)
  try {
    await database.migrate()
  } catch (error) {
    await database.close().catch(() => {})
    throw new Error(`Database migration failed: ${(error as Error).message}`, { cause: error })
  }
  const db = database.db
  logger.info('database ready', { kind: database.kind, ms: Date.now() - started })

  const sandboxMode = config.telegram.sandbox
  if (config.publicDemo) {
    logger.warn('PUBLIC_DEMO: running the sandbox as a public demo; anyone can open it as any demo person, staff actions are refused (demo_read_only)')
  }
  if ((sandboxMode || config.demoData) && (await isDatabaseEmpty(db))) {
    const counts = await seedDemoData(db, { people: sandboxMode })
    logger.info('demo data seeded on first start', counts)
  }
  if (!sandboxMode) {
    const removed = await removeSandboxStaffRoles(db, config.adminTelegramIds)
    if (removed) logger.warn('removed the staff roles of the sandbox demo people: a real bot is configured', { removed })
  }

  let sandbox: FakeBotApi | undefined
  let token = config.telegram.botToken
  let apiRoot = config.telegram.apiRoot
  if (config.telegram.sandbox) {
    token = await ensureSetting(db, 'sandbox.bot_token', generateSandboxToken)
    sandbox = createFakeBotApi({ token })
    apiRoot = await sandbox.listen(0, '127.0.0.1')
    logger.info('sandbox Telegram: fake Bot API running in-process', { apiRoot })
  }
  const webhookSecret = config.telegram.webhookSecret ?? deriveWebhookSecret(token!)
  // The name the bot greets with is the one the operator keeps in the business profile.
  const businessName = (await getSetting<{ name: { ru: string; en: string } }>(db, 'business.profile'))?.name ?? DEMO_BUSINESS.name
  const bot = createBot({ token: token!, apiRoot, publicUrl: config.publicUrl, businessName, logger, db, adminTelegramIds: config.adminTelegramIds })

  const queue = new JobQueue<JobDeps>(database, logger)
  setQueue(queue)
  await queue.start()
  await queue.register(jobDefinitions)
  registerPaymentHandlers(bot, { db, queue, logger })

  const inflight = new Set<Promise<unknown>>()
  let stopPolling: (() => Promise<void>) | undefined
  const services: AppServices = {
    config,
    logger,
    metrics,
    database,
    db,
    queue,
    bot,
    telegram: { token: token!, webhookSecret, sandbox },
    track(promise) {
      inflight.add(promise)
      promise.finally(() => inflight.delete(promise)).catch(() => {})
    },
    async close() {
      logger.info('shutting down: finishing running work')
      await stopPolling?.()
      await Promise.allSettled([...inflight])
      await queue.stop()
      await sandbox?.close()
      await database.close()
      logger.info('shutdown complete')
    },
  }

  await queue.work({ services })
  // Recover anything stored but not handled before the last stop, then (re)configure the bot's chat.
  await queue.enqueue(retryTelegramUpdatesJob, {})
  await queue.enqueue(configureTelegramJob, {}, { singletonKey: 'configure' })
  if (config.telegram.updates === 'polling' && !config.telegram.sandbox) stopPolling = startPolling(services)

  logger.info('ready', { ms: Date.now() - started, telegram: config.telegram.sandbox ? 'sandbox' : config.telegram.updates })
  return services
}

/**
 * Starts the app once per process. Config is checked synchronously (a bad value throws here,
 * before the server takes a request); the database, queue and bot come up behind `ready`.
 */
export function bootstrap(config: AppConfig): Bootstrap {
  if (current) return current
  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) })
  let queue: JobQueue<JobDeps> | undefined
  const metrics = createMetrics(async () => queue?.depth())
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
