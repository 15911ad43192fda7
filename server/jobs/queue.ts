import { sql } from 'drizzle-orm'
import { PgBoss, fromDrizzle, fromPglite, type Job, type JobResult, type Queue, type QueueOptions, type QueuePolicy, type SendOptions, type WorkOptions } from 'pg-boss'
import type { z } from 'zod'
import type { DatabaseHandle, DbOrTx } from '../db/client'
import type { Logger } from '../utils/logger'
import { untilStored } from '../utils/durable'
import { stopWatchingForeground, watchForeground, whenRequestsCalm } from '../utils/foreground'

/**
 * A job type as the rest of the app sees it: its queue name, the zod schema its payload must
 * satisfy (checked when enqueued and again when worked, so a payload written by an older release
 * cannot crash a worker silently), queue options (retries, backoff, dead letter) and an optional
 * schedule. A declaration imports nothing but zod, so any service can enqueue it without pulling
 * in the worker (and the worker's imports) that handles it.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string
  schema: Schema
  /** `policy: 'singleton'`: one job of the queue active at a time in the whole deployment. */
  queue?: Omit<QueueOptions, 'deadLetter'> & { deadLetter?: boolean; policy?: QueuePolicy }
  work?: Pick<WorkOptions, 'batchSize' | 'pollingIntervalSeconds' | 'localConcurrency'> & {
    /**
     * With `batchSize` > 1 the jobs of a batch run at the same time, except those with the same key
     * here, which run one after the other in queue order (two messages to one chat stay in order).
     */
    sequentialBy?: (data: never) => string | number
    /**
     * Work that can wait a few seconds (a receipt): a fetched batch waits while the process is busy
     * answering requests; a busy spell holds it back MAX_DEFER_MS at most (server/utils/foreground.ts).
     */
    deferrable?: boolean
  }
  /** Cron expression (UTC) when the job runs on a schedule. */
  cron?: string
}

/** How a failed job's error is stored by pg-boss (its message and stack, as a thrown error would be). */
function failureOutput(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) }
}

/** A job's `sequentialBy` key; a payload it cannot read runs on its own (and fails validation there). */
function sequentialKey(key: (data: never) => string | number, data: unknown, index: number): string | number {
  try {
    return `k:${key(data as never)}`
  } catch {
    return index
  }
}

/** Declares a job; the identity function exists only to infer the payload type from the schema. */
export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>) {
  return definition
}

/** What a worker gets besides the payload: the app's dependencies, the pg-boss job and a logger bound to it. */
export type JobContext<Deps> = Deps & { job: Job<unknown>; logger: Logger; /** Aborted when this process stops its workers: a long job stops at a safe point and queues the rest. */ signal: AbortSignal }

/** A declared job paired with the function that does it; registered by the composition root. */
export interface JobWorker<Deps> {
  definition: JobDefinition
  handle(data: unknown, context: JobContext<Deps>): Promise<void>
}

/** Pairs a declaration with its handler (typed by the declaration's schema). */
export function jobWorker<Schema extends z.ZodType, Deps>(definition: JobDefinition<Schema>, handle: (data: z.output<Schema>, context: JobContext<Deps>) => Promise<void>): JobWorker<Deps> {
  return { definition, handle: handle as JobWorker<Deps>['handle'] }
}

/** Enqueueing, as services see it: they never start workers or read queue internals. */
export interface Enqueuer {
  enqueue<Schema extends z.ZodType>(definition: JobDefinition<Schema>, data: z.input<Schema>, options?: SendOptions): Promise<string | null>
  enqueueIn<Schema extends z.ZodType>(tx: DbOrTx, definition: JobDefinition<Schema>, data: z.input<Schema>, options?: SendOptions): Promise<string | null>
  /** Cancels queued jobs inside the caller's transaction: they are dropped if and only if the change commits. */
  cancelIn(tx: DbOrTx, definition: JobDefinition, ids: readonly string[]): Promise<void>
}

const DEFAULT_QUEUE_OPTIONS: Omit<Queue, 'name'> = {
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 15 * 60,
  // A worker that died (kill -9, a crashed container) stops beating: its job is retried within a
  // minute or two instead of waiting out `expireInSeconds`. Live workers beat every 15 s.
  heartbeatSeconds: 30,
  // A job created (committed) wakes the workers of its queue on every replica through
  // LISTEN/NOTIFY, so they need not poll every second to answer within one.
  notify: true,
  retentionSeconds: 14 * 24 * 3600,
  deleteAfterSeconds: 7 * 24 * 3600,
}

/**
 * How often an idle worker asks for jobs. With LISTEN/NOTIFY in place a new job wakes its workers
 * at once, and the poll only finds jobs whose delay ran out (a retry's backoff, a reminder) and
 * any wake-up lost to a reconnect: every NOTIFY_POLL_SECONDS instead of every second, which took
 * an idle app on PGlite from ~120 to ~50 ms of CPU a second (34 queues polled each second before).
 * Without the listener (it failed to start) workers fall back to POLL_SECONDS.
 */
const POLL_SECONDS = 1
const NOTIFY_POLL_SECONDS = 5

/**
 * A job asked to start at a moment that has come (a continuation "at new Date()") is sent without
 * one: pg-boss would store this process's clock, a few ms ahead of the database's `now()` when the
 * woken worker fetches, and the job would wait for the next poll instead of running at once.
 */
function dueNow(options: SendOptions): SendOptions {
  const at = options.startAfter
  const when = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : Number.NaN
  if (!(when <= Date.now())) return options
  const { startAfter: _due, ...rest } = options
  return rest
}

/** pg-boss's PGlite adapter with the LISTEN it lacks: PGlite delivers a NOTIFY once the statement that committed it returns. */
function pgliteWithListen(pglite: NonNullable<DatabaseHandle['pglite']>) {
  return {
    ...fromPglite(pglite as Parameters<typeof fromPglite>[0]),
    async listen(channel: string, onNotification: (payload: string) => void) {
      const unlisten = await pglite.listen(channel, onNotification)
      return { close: () => unlisten() }
    },
  }
}

export interface QueueDepth {
  name: string
  queued: number
  active: number
  deferred: number
  failed: number
  /** Seconds the oldest due job has waited to be picked up (0 when none waits). */
  lagSeconds?: number
}

/** pg-boss on the app's own database: the embedded PGlite instance or the PostgreSQL server. */
export class JobQueue implements Enqueuer {
  readonly boss: PgBoss
  private readonly definitions = new Map<string, JobDefinition>()
  private started = false
  /** Aborted by `stop()`: long jobs (a broadcast slice) end early at a safe point instead of holding the shutdown. */
  private readonly stopping = new AbortController()

  constructor(
    database: DatabaseHandle,
    private readonly logger: Logger,
  ) {
    this.boss =
      database.kind === 'pglite'
        ? new PgBoss({ db: pgliteWithListen(database.pglite!), backend: 'pglite', schema: 'pgboss', useListenNotify: true })
        : new PgBoss({ connectionString: database.url!, schema: 'pgboss', max: 4, application_name: 'tma-platform-queue', useListenNotify: true })
    this.boss.on('error', (error) => this.logger.error('queue error', { error }))
  }

  async start() {
    await this.boss.start()
    this.started = true
  }

  /** Creates the queues (and their dead-letter queues) and schedules; workers start only with `work`. */
  async register(definitions: readonly JobDefinition[]) {
    // One read of the queues that exist already (not one per queue at every start).
    const existing = new Map((await this.boss.getQueues()).map((q) => [q.name, q as unknown as Record<string, unknown>]))
    for (const definition of definitions) {
      this.definitions.set(definition.name, definition)
      const { deadLetter = true, ...options } = definition.queue ?? {}
      const deadLetterName = `${definition.name}.dead`
      if (deadLetter) await this.boss.createQueue(deadLetterName, { retentionSeconds: 30 * 24 * 3600 })
      const wanted: Omit<Queue, 'name'> = { ...DEFAULT_QUEUE_OPTIONS, ...options, ...(deadLetter ? { deadLetter: deadLetterName } : {}) }
      await this.boss.createQueue(definition.name, wanted)
      await this.syncQueueOptions(definition.name, wanted, existing.get(definition.name))
      if (definition.cron) await this.boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' })
    }
  }

  /** A queue created by an older release keeps its options: bring the changed ones (not the policy) up to date. */
  private async syncQueueOptions(name: string, wanted: QueueOptions & { policy?: QueuePolicy }, existing: Record<string, unknown> | undefined) {
    if (!existing) return
    const changed = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => key !== 'policy' && existing[key] !== value))
    if (Object.keys(changed).length) await this.boss.updateQueue(name, changed)
  }

  /**
   * Starts a worker per job, handing each job its validated payload and the app's dependencies.
   * A batch (`work.batchSize`) is fetched in one query and its jobs run at once (those sharing a
   * `sequentialBy` key in order); each job completes or fails on its own, a completed one at once.
   */
  async work<Deps>(workers: readonly JobWorker<Deps>[], deps: Deps) {
    for (const { definition, handle } of workers) {
      if (!this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} has a worker but is not registered`)
      const { sequentialBy, deferrable, ...options } = definition.work ?? {}
      if (deferrable) watchForeground()
      const batched = (options.batchSize ?? 1) > 1
      const runOne = async (job: Job<unknown>): Promise<JobResult> => {
        const logger = this.logger.child({ queue: definition.name, jobId: job.id })
        try {
          const data = definition.schema.parse(job.data)
          await handle(data, { ...deps, job, logger, signal: this.stopping.signal })
        } catch (error) {
          // The partner (Telegram's 429) named when to come back: plan the same job for then
          // instead of spending a retry on a wait the backoff would guess.
          const after = (error as { retryAfterSeconds?: unknown })?.retryAfterSeconds
          if (typeof after !== 'number') return { id: job.id, status: 'failed', output: failureOutput(error) }
          logger.info('rescheduled: asked to retry later', { seconds: after })
          await this.boss.send(definition.name, job.data as object, { startAfter: after })
        }
        // Each job is marked done as soon as it is (in a batch too: a process killed halfway through
        // must not send the messages already sent a second time when the rest is retried), and the
        // mark waits out a database outage: a job left active would be retried and do it all again.
        await untilStored(() => this.boss.complete(definition.name, job.id), { onWait: (error) => logger.warn('the database is away; marking the job done when it is back', { error }) }).catch((error: unknown) =>
          logger.error('could not mark the job done; it may run again', { error }),
        )
        return { id: job.id, status: 'completed' }
      }
      // A batched queue with a backlog fetches again at once while its batches come back full (no poll wait between them).
      // A fetch that found work is followed by another at once (the worker is "notified" of its own
      // backlog): without it a queue with N due jobs and batchSize 1 would take one per poll.
      const self: { workerId?: string } = {}
      self.workerId = await this.boss.work(definition.name, { batchSize: 1, pollingIntervalSeconds: POLL_SECONDS, notifyPollingIntervalSeconds: NOTIFY_POLL_SECONDS, ...(batched ? { burstWhenBatchFull: true } : {}), ...options, perJobResults: true }, async (jobs: Job<unknown>[]) => {
        if (jobs.length && self.workerId) this.boss.notifyWorker(self.workerId)
        if (deferrable && jobs.length) {
          const waitedMs = await whenRequestsCalm({ signal: this.stopping.signal })
          if (waitedMs >= 1000) this.logger.info('deferred while answering requests', { queue: definition.name, jobs: jobs.length, waitedMs: Math.round(waitedMs) })
        }
        const chains = new Map<string | number, Job<unknown>[]>()
        jobs.forEach((job, i) => {
          const key = sequentialBy ? sequentialKey(sequentialBy, job.data, i) : i
          chains.set(key, [...(chains.get(key) ?? []), job])
        })
        const results = await Promise.all(
          [...chains.values()].map(async (chain) => {
            const out: JobResult[] = []
            for (const job of chain) out.push(await runOne(job))
            return out
          }),
        )
        return results.flat()
      })
    }
  }

  private payload<Schema extends z.ZodType>(definition: JobDefinition<Schema>, data: z.input<Schema>) {
    if (!this.definitions.has(definition.name)) throw new Error(`Job ${definition.name} is not registered`)
    return definition.schema.parse(data) as object
  }

  /**
   * Enqueues on its own, outside any transaction: for work that is not the consequence of a write
   * (start-up chores, a retry of a job). A write's follow-ups go through `enqueueIn`.
   */
  async enqueue<Schema extends z.ZodType>(definition: JobDefinition<Schema>, data: z.input<Schema>, options: SendOptions = {}) {
    return this.boss.send(definition.name, this.payload(definition, data), dueNow(options))
  }

  /**
   * Enqueues inside the caller's transaction (a transactional outbox): the job exists if and only
   * if the change that caused it was committed.
   */
  async enqueueIn<Schema extends z.ZodType>(tx: DbOrTx, definition: JobDefinition<Schema>, data: z.input<Schema>, options: SendOptions = {}) {
    return this.boss.send(definition.name, this.payload(definition, data), { ...dueNow(options), db: fromDrizzle(tx as never, sql as never) })
  }

  async cancelIn(tx: DbOrTx, definition: JobDefinition, ids: readonly string[]) {
    if (ids.length) await this.boss.cancel(definition.name, [...ids], { db: fromDrizzle(tx as never, sql as never) })
  }

  /** Depth per queue, for /metrics and /api/ready; reads pg-boss's own counters. */
  async depth(): Promise<QueueDepth[]> {
    const queues = await this.boss.getQueues()
    // Lag: how long the oldest job that could run has been waiting (due, not yet picked up).
    const lag = await this.boss
      .getDb()
      .executeSql(`select name, extract(epoch from now() - min(start_after))::float8 as seconds from pgboss.job where state in ('created', 'retry') and start_after <= now() group by name`)
      .then((r) => new Map((r.rows as { name: string; seconds: number }[]).map((row) => [row.name, Math.max(0, Number(row.seconds))])))
      .catch(() => new Map<string, number>())
    return queues.map((q) => ({ name: q.name, queued: q.queuedCount, active: q.activeCount, deferred: q.deferredCount, failed: q.failedCount, lagSeconds: lag.get(q.name) ?? 0 }))
  }

  async ping() {
    if (!this.started) throw new Error('queue not started')
    await this.boss.getQueues()
  }

  /** Stops fetching, lets running jobs finish (or return to the queue after `timeoutMs`), keeps the database open. */
  async stop(timeoutMs = 20_000) {
    if (!this.started) return
    this.started = false
    this.stopping.abort()
    stopWatchingForeground()
    await this.boss.stop({ graceful: true, close: false, timeout: timeoutMs })
  }
}
