import { sql } from 'drizzle-orm'
import { PgBoss, fromDrizzle, fromPglite, type Job, type QueueOptions, type SendOptions, type WorkOptions } from 'pg-boss'
import type { z } from 'zod'
import type { DatabaseHandle, DbOrTx } from '../db/client'
import type { Logger } from '../utils/logger'

/**
 * A job type: its queue name, the zod schema its payload must satisfy (checked when enqueued and
 * again when worked, so a payload written by an older release cannot crash a worker silently),
 * queue options (retries, backoff, dead letter) and the handler.
 */
export interface JobDefinition<Schema extends z.ZodType, Deps> {
  name: string
  schema: Schema
  queue?: Omit<QueueOptions, 'deadLetter'> & { deadLetter?: boolean }
  work?: Pick<WorkOptions, 'batchSize' | 'pollingIntervalSeconds' | 'localConcurrency'>
  /** Cron expression (UTC) when the job runs on a schedule. */
  cron?: string
  handle(data: z.output<Schema>, deps: Deps & { job: Job<unknown>; logger: Logger }): Promise<void>
}

/** Declares a job; the identity function exists only to infer the payload type from the schema. */
export function defineJob<Schema extends z.ZodType, Deps>(definition: JobDefinition<Schema, Deps>) {
  return definition
}

const DEFAULT_QUEUE_OPTIONS: QueueOptions = {
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 15 * 60,
  retentionSeconds: 14 * 24 * 3600,
  deleteAfterSeconds: 7 * 24 * 3600,
}

export interface QueueDepth {
  name: string
  queued: number
  active: number
  deferred: number
  failed: number
}

/** pg-boss on the app's own database: the embedded PGlite instance or the PostgreSQL server. */
export class JobQueue<Deps> {
  readonly boss: PgBoss
  private readonly definitions = new Map<string, JobDefinition<z.ZodType, Deps>>()
  private started = false

  constructor(
    database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    this.boss =
      database.kind === 'pglite'
        ? new PgBoss({ db: fromPglite(database.pglite!), backend: 'pglite', schema: 'pgboss' })
        : new PgBoss({ connectionString: database.url!, schema: 'pgboss', max: 4, application_name: 'tma-platform-queue' })
    this.boss.on('error', (error) => this.logger.error('queue error', { error }))
  }

  async start() {
    await this.boss.start()
    this.started = true
  }

  /** Creates the queues (and their dead-letter queues) and schedules; workers start only with `work`. */
  async register(definitions: JobDefinition<z.ZodType, Deps>[]) {
    for (const definition of definitions) {
      this.definitions.set(definition.name, definition)
      const { deadLetter = true, ...options } = definition.queue ?? {}
      const deadLetterName = `${definition.name}.dead`
      if (deadLetter) await this.boss.createQueue(deadLetterName, { retentionSeconds: 30 * 24 * 3600 })
      await this.boss.createQueue(definition.name, { ...DEFAULT_QUEUE_OPTIONS, ...options, ...(deadLetter ? { deadLetter: deadLetterName } : {}) })
      if (definition.cron) await this.boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' })
    }
  }

  /** Starts a worker per registered job, handing each job the validated payload and the app's dependencies. */
  async work(deps: Deps) {
    for (const definition of this.definitions.values()) {
      await this.boss.work(definition.name, { batchSize: 1, pollingIntervalSeconds: 1, ...definition.work }, async (jobs: Job<unknown>[]) => {
        for (const job of jobs) {
          const logger = this.logger.child({ queue: definition.name, jobId: job.id })
          const data = definition.schema.parse(job.data)
          await definition.handle(data, { ...deps, job, logger })
        }
      })
    }
  }

  /** Enqueues a job after checking its payload; `singletonKey`/`id` make a retried enqueue harmless. */
  async enqueue<Schema extends z.ZodType>(definition: JobDefinition<Schema, Deps>, data: z.input<Schema>, options: SendOptions = {}) {
    if (!this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is not registered`)
    const payload = definition.schema.parse(data) as object
    return this.boss.send(definition.name, payload, options)
  }

  /**
   * Enqueues inside the caller's transaction (a transactional outbox): the job exists if and only
   * if the change that caused it was committed.
   */
  async enqueueIn<Schema extends z.ZodType>(tx: DbOrTx, definition: JobDefinition<Schema, Deps>, data: z.input<Schema>, options: SendOptions = {}) {
    if (!this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is not registered`)
    const payload = definition.schema.parse(data) as object
    return this.boss.send(definition.name, payload, { ...options, db: fromDrizzle(tx as never, sql as never) })
  }

  /** Depth per queue, for /metrics and /api/ready; reads pg-boss's own counters. */
  async depth(): Promise<QueueDepth[]> {
    const queues = await this.boss.getQueues()
    return queues.map((q) => ({ name: q.name, queued: q.queuedCount, active: q.activeCount, deferred: q.deferredCount, failed: q.failedCount }))
  }

  async ping() {
    if (!this.started) throw new Error('queue not started')
    await this.boss.getQueues()
  }

  /** Stops fetching, lets running jobs finish (or return to the queue after `timeoutMs`), keeps the database open. */
  async stop(timeoutMs = 20_000) {
    if (!this.started) return
    this.started = false
    await this.boss.stop({ graceful: true, close: false, timeout: timeoutMs })
  }
}
