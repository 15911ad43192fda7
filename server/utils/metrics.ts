import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { QueueDepth } from '../jobs/queue'
import type { ConnectorHealth } from '../services/integrations/admin'

/**
 * Prometheus metrics of one app instance. A registry of our own (not prom-client's global one),
 * so tests and a restarted runtime never register a metric twice.
 */
/** Read at scrape time from the database: the last backup and the stored Telegram updates. */
export interface OperationsReading {
  backup: { lastSuccessAt?: string; ok: boolean } | undefined
  updates: { pending: number; processing: number; failed: number }
  /** Each connector's health (docs/integrations.md). */
  integrations?: ConnectorHealth[]
  /** What the business recorded so far: orders placed and paid, bookings, conversations, Mini App opens, carts. */
  business?: Record<string, number>
}

export function createMetrics(readQueueDepth: () => Promise<QueueDepth[] | undefined>, readOperations: () => Promise<OperationsReading | undefined> = async () => undefined) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const hotAnswers = new Counter({
    name: 'http_hot_answers_total',
    help: 'Requests answered from a kept catalog answer before h3 (server/utils/hot-answers.ts); also counted in http_request_duration_seconds',
    registers: [registry],
  })
  const telegramUpdates = new Counter({
    name: 'telegram_updates_total',
    help: 'Telegram updates by intake result (stored, duplicate) and handling outcome (done, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const labels = ['queue'] as const
  const queueGauges = {
    queued: new Gauge({ name: 'queue_jobs_queued', help: 'Jobs waiting in a queue (including deferred)', labelNames: labels, registers: [registry] }),
    active: new Gauge({ name: 'queue_jobs_active', help: 'Jobs being worked on', labelNames: labels, registers: [registry] }),
    deferred: new Gauge({ name: 'queue_jobs_deferred', help: 'Jobs scheduled for later', labelNames: labels, registers: [registry] }),
    failed: new Gauge({ name: 'queue_jobs_failed', help: 'Jobs that failed for good (retained)', labelNames: labels, registers: [registry] }),
    lag: new Gauge({ name: 'queue_lag_seconds', help: 'How long the oldest due job has waited to be picked up (0 when none waits)', labelNames: labels, registers: [registry] }),
  }

  const backupLastSuccess = new Gauge({ name: 'backup_last_success_timestamp_seconds', help: 'Unix time of the last successful backup (alert on time() minus this)', registers: [registry] })
  const backupLastFailed = new Gauge({ name: 'backup_last_attempt_failed', help: '1 when the newest backup attempt failed', registers: [registry] })
  const storedUpdates = new Gauge({ name: 'telegram_updates_stored', help: 'Stored Telegram updates not done, by status (failed = parked after its attempts)', labelNames: ['status'] as const, registers: [registry] })

  const businessRecords = new Gauge({ name: 'business_records', help: 'What the business recorded so far, from the database (only grows; graph its increase): app_opens and carts (people per day), orders_placed, orders_paid, bookings, conversations', labelNames: ['kind'] as const, registers: [registry] })

  // Integration health is read from the database, so every replica reports the same figures.
  const connector = ['connector'] as const
  const integrationGauges = {
    deliveries: new Gauge({ name: 'integration_deliveries', help: 'Outbox deliveries by connector and status (pending, delivered, held, dead)', labelNames: ['connector', 'status'] as const, registers: [registry] }),
    degraded: new Gauge({ name: 'integration_connector_degraded', help: '1 when the partner answered outside its contract (partner changed) and staff have not resolved it', labelNames: connector, registers: [registry] }),
    successes: new Gauge({ name: 'integration_calls_succeeded', help: 'Partner calls that succeeded (since the connector was first used)', labelNames: connector, registers: [registry] }),
    failures: new Gauge({ name: 'integration_calls_failed', help: 'Partner calls that failed: errors, timeouts, refusals, contract breaks', labelNames: connector, registers: [registry] }),
    latency: new Gauge({ name: 'integration_last_latency_seconds', help: 'Latency of the last successful partner call', labelNames: connector, registers: [registry] }),
    lastSuccess: new Gauge({ name: 'integration_last_success_timestamp_seconds', help: 'When the partner last answered well (Unix time)', labelNames: connector, registers: [registry] }),
  }

  return {
    registry,
    httpDuration,
    hotAnswers,
    telegramUpdates,
    /** Reads queue depth right before a scrape instead of on a timer. */
    async render() {
      const depth = await readQueueDepth().catch(() => undefined)
      for (const gauge of Object.values(queueGauges)) gauge.reset()
      for (const q of depth ?? []) {
        queueGauges.queued.set({ queue: q.name }, q.queued)
        queueGauges.active.set({ queue: q.name }, q.active)
        queueGauges.deferred.set({ queue: q.name }, q.deferred)
        queueGauges.failed.set({ queue: q.name }, q.failed)
        queueGauges.lag.set({ queue: q.name }, q.lagSeconds ?? 0)
      }
      const operations = await readOperations().catch(() => undefined)
      backupLastSuccess.reset()
      backupLastFailed.reset()
      storedUpdates.reset()
      if (operations) {
        if (operations.backup?.lastSuccessAt) backupLastSuccess.set(Date.parse(operations.backup.lastSuccessAt) / 1000)
        if (operations.backup) backupLastFailed.set(operations.backup.ok ? 0 : 1)
        for (const status of ['pending', 'processing', 'failed'] as const) storedUpdates.set({ status }, operations.updates[status])
      }
      businessRecords.reset()
      for (const [kind, n] of Object.entries(operations?.business ?? {})) businessRecords.set({ kind }, n)
      for (const gauge of Object.values(integrationGauges)) gauge.reset()
      for (const c of (operations?.integrations ?? []).filter((h) => h.configured || h.successCount + h.failureCount > 0)) {
        for (const [status, n] of Object.entries(c.deliveries)) integrationGauges.deliveries.set({ connector: c.connector, status }, n)
        integrationGauges.degraded.set({ connector: c.connector }, c.state === 'degraded' ? 1 : 0)
        integrationGauges.successes.set({ connector: c.connector }, c.successCount)
        integrationGauges.failures.set({ connector: c.connector }, c.failureCount)
        if (c.lastLatencyMs !== null) integrationGauges.latency.set({ connector: c.connector }, c.lastLatencyMs / 1000)
        if (c.lastSuccessAt) integrationGauges.lastSuccess.set({ connector: c.connector }, Math.floor(new Date(c.lastSuccessAt).getTime() / 1000))
      }
      return registry.metrics()
    },
  }
}

export type Metrics = ReturnType<typeof createMetrics>

/** `read`, run at most once per `ms`: calls in between (concurrent ones too) share its last result; a failed read is not kept. */
export function readAtMostEvery<A, T>(ms: number, read: (arg: A) => Promise<T>) {
  let last: { at: number; value: Promise<T> } | undefined
  return (arg: A) => {
    const now = Date.now()
    if (last && now - last.at < ms) return last.value
    const value = read(arg)
    const mine = (last = { at: now, value })
    value.catch(() => last === mine && (last = undefined))
    return value
  }
}
