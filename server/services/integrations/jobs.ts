import { z } from 'zod'
import { defineJob } from '../../jobs/queue'
import { CONNECTORS } from '#shared/schemas/integrations'

/**
 * Sends one outbox event to one partner. Retries are planned by the delivery itself (backoff with
 * jitter, stored on the row, re-queued in the same transaction), so pg-boss's own retries only
 * cover a crashed worker.
 */
export const deliverIntegrationEventJob = defineJob({
  name: 'integrations.deliver',
  /** `target`: the partner or webhook endpoint (`deliveryTarget`); absent on jobs queued by older releases. */
  schema: z.object({ deliveryId: z.number().int(), target: z.string().max(40).optional() }),
  queue: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  // Up to 50 a fetch, one at a time per partner or endpoint (in the order they were queued): a
  // partner never gets a burst of parallel calls from us, and different partners go side by side.
  work: { batchSize: 50, localConcurrency: 2, sequentialBy: (data: { deliveryId: number; target?: string }) => data.target ?? `d${data.deliveryId}` },
})

/** The job of one delivery row, keyed by where it goes (see `work.sequentialBy` above). */
export const deliveryJob = (row: { id: number; connector: string; webhookId?: number | null }) => ({
  deliveryId: row.id,
  target: row.webhookId ? `webhook:${row.webhookId}` : row.connector,
})

/** Tells owners and admins in the chat that a partner changed its format (once per degradation). */
export const integrationAlertJob = defineJob({
  name: 'integrations.alert',
  schema: z.object({ connector: z.enum(CONNECTORS), reason: z.string().max(2000) }),
  queue: { retryLimit: 5 },
})

/**
 * Pulls stock from the warehouse partner: every 15 minutes, and when the partner's webhook says
 * something changed. Applies only after staff applied the first import from its dry-run diff.
 */
export const warehouseStockSyncJob = defineJob({
  name: 'integrations.warehouse-stock-sync',
  schema: z.object({ reason: z.enum(['schedule', 'webhook']).default('schedule') }),
  cron: '*/15 * * * *',
  queue: { retryLimit: 3, retryDelay: 60, retryBackoff: true },
})

/** Calls every configured partner's read endpoint and checks the answer's contract, every hour. */
export const probeIntegrationsJob = defineJob({
  name: 'integrations.probe',
  schema: z.object({}),
  cron: '17 * * * *',
  queue: { retryLimit: 1 },
})

/** Forgets delivered events after 90 days and partner payloads after 30 (held and dead ones stay until handled). */
export const pruneIntegrationEventsJob = defineJob({
  name: 'integrations.prune',
  schema: z.object({}),
  cron: '41 3 * * *',
  queue: { retryLimit: 2 },
})
