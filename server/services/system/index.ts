import { sql } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client'
import { rowsOf } from '../../db/results'
import type { JobQueue } from '../../jobs/queue'
import type { Bot } from '../../bot'
import type { AppConfig } from '../../utils/config'
import { DomainError } from '../../utils/errors'
import { appVersion } from '../../utils/version'
import { settledWithin } from '../../utils/infrastructure'
import { appliedMigrationLevel, shippedMigrations } from '../backup/schema-level'
import { readBackupStatus } from '../backup/files'
import { write, type ServiceContext } from '../context'
import { requeueFailedUpdate, updateHealth } from '../telegram/updates'
import { retryTelegramUpdateJob } from '../telegram/jobs'
import type { FailedJob, RetryJobInput, SystemOverview } from '#shared/schemas/system'

/** What the system page reads: the running process's parts. */
export interface SystemSources {
  database: DatabaseHandle
  queue: JobQueue
  bot: Bot
  config: AppConfig
  /** Polling mode: whether this replica holds the polling lock (null otherwise). */
  pollingHere: boolean | null
}

const startedAt = new Date(Date.now() - process.uptime() * 1000)

const withTimeout = <T>(promise: Promise<T>, ms: number) => settledWithin(promise, ms, () => new Error(`no answer in ${ms / 1000} s`))

/** Jobs that failed for good, newest first, with pg-boss's recorded error. */
async function failedJobs(database: DatabaseHandle, limit = 30): Promise<FailedJob[]> {
  const rows = rowsOf<{ id: string; name: string; output: unknown; completed_on: string | Date | null; retry_count: number }>(
    await database.db.execute(sql`select id, name, output, completed_on, retry_count from pgboss.job where state = 'failed' order by completed_on desc nulls last limit ${limit}`),
  )
  return rows.map((r) => {
    const output = (typeof r.output === 'string' ? JSON.parse(r.output) : r.output) as { message?: string } | string | null
    const error = output == null ? null : typeof output === 'string' ? output : (output.message ?? JSON.stringify(output))
    return { id: r.id, queue: r.name, error: error?.slice(0, 500) ?? null, failedAt: r.completed_on ? new Date(r.completed_on).toISOString() : null, attempts: Number(r.retry_count) + 1 }
  })
}

/** Telegram's view of our webhook (pending updates, its last delivery error). */
async function telegramState(sources: SystemSources): Promise<SystemOverview['telegram']> {
  const mode = sources.config.telegram.sandbox ? 'sandbox' : sources.config.telegram.updates
  try {
    const info = await withTimeout(sources.bot.telegram.getWebhookInfo(), 3000)
    return {
      mode,
      pollingHere: sources.pollingHere,
      webhook: {
        url: info.url ?? '',
        pendingUpdateCount: info.pending_update_count,
        lastErrorDate: info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : null,
        lastErrorMessage: info.last_error_message ?? null,
      },
      error: null,
    }
  } catch (error) {
    return { mode, pollingHere: sources.pollingHere, webhook: null, error: (error as Error).message.slice(0, 300) }
  }
}

/** The system page: version, uptime, migrations, queues and failed jobs, Telegram updates and webhook, backups. */
export async function systemOverview(sources: SystemSources): Promise<SystemOverview> {
  const { database, config } = sources
  const [level, depth, failed, updates, telegram, backup] = await Promise.all([
    appliedMigrationLevel(database.db),
    sources.queue.depth(),
    failedJobs(database),
    updateHealth(database.db),
    telegramState(sources),
    readBackupStatus(database.db),
  ])
  const shipped = shippedMigrations().length
  return {
    version: appVersion(),
    startedAt: startedAt.toISOString(),
    uptimeSeconds: Math.round(process.uptime()),
    engine: database.kind,
    migrations: { applied: level.migrations, shipped, last: level.last, pending: Math.max(0, shipped - level.migrations) },
    queues: depth.filter((q) => !q.name.startsWith('__')).sort((a, b) => a.name.localeCompare(b.name)),
    failedJobs: failed,
    updates,
    telegram,
    backup: { status: backup ?? null, schedule: config.backup.schedule ?? null, folder: config.backup.dir, retention: config.backup.retention },
  }
}

/** Runs a failed job again (pg-boss gives it one more attempt); audited. */
export async function retryFailedJob(ctx: ServiceContext, queue: JobQueue, input: RetryJobInput) {
  const [job] = rowsOf<{ state: string }>(await ctx.db.execute(sql`select state from pgboss.job where name = ${input.queue} and id = ${input.id}::uuid`))
  if (!job) throw new DomainError('not_found', 'No such job')
  if (job.state !== 'failed') throw new DomainError('conflict', 'Only a failed job can be retried', 409, { state: job.state })
  await queue.boss.retry(input.queue, input.id)
  await write(ctx, (w) => w.audit({ action: 'system.job_retry', entityType: 'job', entityId: input.id, before: { state: 'failed' }, after: { state: 'retry', queue: input.queue } }))
}

/** Puts a parked Telegram update back to be handled again, now; audited. */
export async function replayFailedUpdate(ctx: ServiceContext, updateId: number) {
  await write(ctx, async (w) => {
    if (!(await requeueFailedUpdate(w.db, updateId))) throw new DomainError('not_found', 'No parked update with this id')
    await w.audit({ action: 'telegram.update_replay', entityType: 'telegram_update', entityId: updateId, before: { status: 'failed' }, after: { status: 'pending' } })
    await w.enqueue(retryTelegramUpdateJob, { updateId })
  })
}
