import { createHmac, randomBytes, randomInt } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { AppConfig } from './utils/config'
import type { Logger } from './utils/logger'
import type { Metrics } from './utils/metrics'
import { openDatabase, type DatabaseHandle, type Database } from './db/client'
import { JobQueue } from './jobs/queue'
import { jobWorkers } from './jobs'
import { createBot, routeUpdates, type Bot } from './bot'
import { ensureSetting, startSettingsReadModel } from './services/settings'
import { seedDemoData, isDatabaseEmpty, removeSandboxStaffRoles } from './services/demo/seed'
import { demoImageAssetKey } from './services/demo/images'
import { setReceiptFontReader } from './services/account/receipt-pdf'
import { renderReceiptsOn, stopReceiptThread } from './services/account/receipt-thread'
import { createFileStore } from './services/files'
import { startCatalogReadModel } from './services/catalog/read-model'
import { startUserCache } from './services/auth/user-cache'
import { startRateLimitCounter } from './services/auth/rate-limit'
import { startSupportLive, type SupportLive } from './services/support/live'
import { createFakeBotApi, type FakeBotApi } from './telegram/fake-bot-api'
import { configureTelegramJob, retryTelegramUpdatesJob } from './services/telegram/jobs'
import { startPolling } from './services/telegram/polling'
import { runAsLeader, type LeaderDuty } from './db/leader'
import { createChangeBus, type ChangeBus } from './db/change-bus'
import { backupJob } from './services/backup/jobs'

/**
 * The composition root: the one place that builds the app's parts and wires them together
 * (database, queue and its workers, the bot and its update routing, the sandbox). Everything else
 * receives what it needs from here: handlers through `useServices()`/a service context, jobs and
 * bot adapters through `AppServices`.
 */

/** Everything a request or a job needs, built once per process after the database is ready. */
export interface AppServices {
  config: AppConfig
  logger: Logger
  metrics: Metrics
  database: DatabaseHandle
  db: Database
  queue: JobQueue
  bot: Bot
  telegram: {
    token: string
    webhookSecret: string
    /** The fake Bot API serving this process when no real token is configured. */
    sandbox?: FakeBotApi
  }
  /** Changes every replica must hear about (cache purges), over PostgreSQL LISTEN/NOTIFY. */
  changes: ChangeBus
  /** Polling mode: whether this replica holds the polling leader lock now (null in webhook mode or the sandbox). */
  pollingHere(): boolean | null
  /** Work started by a request that must finish before shutdown (update handling after the 200). */
  track(promise: Promise<unknown>): void
  close(): Promise<void>
}

/** What every job worker gets besides its payload. */
export interface JobDeps {
  services: AppServices
}

/** A bot token that looks real, for the sandbox; generated once per installation and kept in the database. */
function generateSandboxToken() {
  return `${randomInt(1_000_000_000, 9_999_999_999)}:${randomBytes(27).toString('base64url')}`
}

/** The webhook secret every replica derives from the token, unless TELEGRAM_WEBHOOK_SECRET is set. */
export function deriveWebhookSecret(token: string) {
  return createHmac('sha256', token).update('telegram-webhook-secret').digest('base64url')
}

/**
 * PGlite's thread code: built beside the server (`.output/server/workers/pglite.mjs`), or the
 * source that Node runs itself (`nuxt dev` from the repository). Neither: PGlite on this thread.
 */
function pgliteWorkerFile() {
  const candidates = [resolve(dirname(process.argv[1] ?? '.'), 'workers/pglite.mjs'), resolve(process.cwd(), 'server/workers/pglite.ts')]
  return candidates.find((file) => existsSync(file))
}

/** Opens and migrates the database, then builds and starts everything on top of it. */
export async function startServices(config: AppConfig, logger: Logger, metrics: Metrics, setQueue: (q: JobQueue) => void): Promise<AppServices> {
  const started = Date.now()
  const pgliteThread = config.database === 'pglite' && config.pgliteThread === 'worker' ? pgliteWorkerFile() : undefined
  let database = await openDatabase(config, pgliteThread)
  try {
    await database.migrate()
  } catch (error) {
    await database.close().catch(() => {})
    throw new Error(`Database migration failed: ${(error as Error).message}`, { cause: error })
  }
  logger.info('database ready', { kind: database.kind, ...(database.kind === 'pglite' ? { thread: pgliteThread ? 'worker' : 'main' } : {}), ms: Date.now() - started })

  const sandboxMode = config.telegram.sandbox
  // Receipts embed the fonts that ship inside the server bundle (server/assets/fonts).
  setReceiptFontReader((name) => useStorage('assets:server').getItemRaw<Uint8Array>(`fonts/${name}`))
  // The built server on PostgreSQL makes them on a worker thread whose code ships beside it
  // (.output/server/workers). On PGlite, whose PostgreSQL keeps the main thread busy through a
  // burst anyway, the thread did not shorten the stalls and would cost ~60 MB (bench/README.md).
  const receiptWorker = resolve(dirname(process.argv[1] ?? '.'), 'workers/receipt.mjs')
  renderReceiptsOn(database.kind === 'postgres' && existsSync(receiptWorker) ? receiptWorker : null)
  if (config.publicDemo) {
    logger.warn('PUBLIC_DEMO: running the sandbox as a public demo; anyone can open it as any demo person, staff actions are refused (demo_read_only)')
  }
  if ((sandboxMode || config.demoData) && (await isDatabaseEmpty(database.db))) {
    // The pictures ship inside the server bundle (Nitro server assets) and are stored like uploads.
    const images = { files: createFileStore(config.dataDir), read: (slug: string) => useStorage('assets:server').getItemRaw<Uint8Array>(demoImageAssetKey(slug)) }
    const counts = await seedDemoData(database.db, { people: sandboxMode, images })
    logger.info('demo data seeded on first start', counts)
  }
  // PGlite's first start ran initdb, the migrations and the seed (if any) on one instance, whose
  // memory stays as large as they made it: go on with the same data on a fresh one.
  if (database.reopen) database = await database.reopen()
  const db = database.db
  if (!sandboxMode) {
    const removed = await removeSandboxStaffRoles(db, config.adminTelegramIds)
    if (removed) logger.warn('removed the staff roles of the sandbox demo people: a real bot is configured', { removed })
  }

  // The catalog, users' roles and settings are read from memory, dropped on NOTIFY from any replica's commit.
  const readModelTtlMs = config.readModelTtlSeconds * 1000
  if (readModelTtlMs > 0) {
    await Promise.all([startCatalogReadModel(db, database.listen, logger, readModelTtlMs), startUserCache(db, database.listen, logger, readModelTtlMs), startSettingsReadModel(db, database.listen, logger, readModelTtlMs)]).catch((error: unknown) => {
      logger.warn('LISTEN failed: the catalog, roles and settings are read from the database on every request', { error })
    })
  }

  // Live support screens: the support tables NOTIFY at commit, every replica fans it out over SSE.
  const supportLive: SupportLive | undefined = await startSupportLive(db, database.listen, logger).catch((error: unknown) => {
    logger.warn('support LISTEN failed: the support screens fall back to re-reading', { error })
    return undefined
  })

  // Rate limits counted in memory, written to the shared table in one statement every 200 ms.
  const rateLimitCounter = startRateLimitCounter(db, logger)

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
  const bot = createBot({ token: token!, apiRoot })

  const queue = new JobQueue(database, logger)
  setQueue(queue)
  await queue.start()
  await queue.register(jobWorkers.map((worker) => worker.definition))
  // The backup's schedule comes from configuration (BACKUP_SCHEDULE), not from its declaration.
  if (config.backup.schedule) await queue.boss.schedule(backupJob.name, config.backup.schedule, {}, { tz: 'UTC' })
  else await queue.boss.unschedule(backupJob.name)

  const changes = createChangeBus(database, logger)
  const inflight = new Set<Promise<unknown>>()
  let polling: LeaderDuty | undefined
  const services: AppServices = {
    config,
    logger,
    metrics,
    database,
    db,
    queue,
    bot,
    telegram: { token: token!, webhookSecret, sandbox },
    changes,
    pollingHere: () => (polling ? polling.isLeader() : null),
    track(promise) {
      inflight.add(promise)
      promise.finally(() => inflight.delete(promise)).catch(() => {})
    },
    async close() {
      logger.info('shutting down: finishing running work')
      await polling?.stop()
      supportLive?.close()
      await Promise.allSettled([...inflight])
      await queue.stop()
      stopReceiptThread()
      await sandbox?.close()
      await rateLimitCounter.stop().catch(() => {})
      await changes.close()
      await database.close()
      logger.info('shutdown complete')
    },
  }
  routeUpdates(bot, services)

  await queue.work<JobDeps>(jobWorkers, { services })
  // Recover anything stored but not handled before the last stop, then (re)configure the bot's chat.
  await queue.enqueue(retryTelegramUpdatesJob, {})
  await queue.enqueue(configureTelegramJob, {}, { singletonKey: 'configure' })
  // Only one replica may call getUpdates (Telegram answers a second caller 409): a leader lock picks it.
  if (config.telegram.updates === 'polling' && !config.telegram.sandbox) polling = runAsLeader(database, 'telegram-polling', () => startPolling(services), logger)

  const collectedMs = collectStartGarbage()
  logger.info('ready', { ms: Date.now() - started, telegram: config.telegram.sandbox ? 'sandbox' : config.telegram.updates, ...(collectedMs === undefined ? {} : { gcMs: collectedMs }) })
  return services
}

/**
 * Starting (migrations, the seed, the first imports of every module) grows V8's young generation
 * to its maximum and leaves the old one with the start's garbage; V8's memory reducer hands that
 * back only after some seconds of idleness. With `--expose-gc` (npm start, the image) one
 * memory-reducing collection at ready does it at once: ~40 MB less RSS at ready. Under load the
 * young generation grows back to its cap, so throughput is unchanged. Milliseconds it took, or
 * undefined without `--expose-gc`.
 */
function collectStartGarbage(): number | undefined {
  const gc = (globalThis as { gc?: (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void }).gc
  if (!gc) return undefined
  const started = performance.now()
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  return Math.round(performance.now() - started)
}
