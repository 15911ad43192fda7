/**
 * What /admin shows and does for integrations: each connector's health, the delivery log with
 * attempts and answers, held payloads with the field paths that changed, and retries (one or all).
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import { CONNECTORS, type ConnectorName, type DeliveriesQuery } from '#shared/schemas/integrations'
import { integrationConnectors, integrationDeliveries, integrationEvents, integrationInbound } from '../../db/schema/integrations'
import type { DbOrTx } from '../../db/client'
import { outboundConnector } from '../../integrations'
import type { AppConfig } from '../../utils/config'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { deliverIntegrationEventJob, deliveryJob } from './jobs'

const PARTNERS: Record<ConnectorName, string> = { crm: 'Bitrix24', warehouse: 'MoySklad', billing: 'ATOL Online', mailing: 'UniSender', maps: 'Yandex Geocoder', webhook: 'Webhooks' }

/** Whether a connector has its settings (secrets are never returned, only whether they are set). */
function configured(config: AppConfig, connector: ConnectorName) {
  if (connector === 'warehouse') return Boolean(config.integrations.moysklad)
  if (connector === 'maps') return Boolean(config.integrations.geocoder)
  if (connector === 'webhook') return true
  return outboundConnector(connector)?.settings(config) !== undefined
}

/** Health per connector: state, last success and failure, error rate, latency, deliveries by status. */
export async function listConnectorHealth(db: DbOrTx, config: AppConfig) {
  const [health, counts] = await Promise.all([
    db.select().from(integrationConnectors),
    db
      .select({ connector: integrationDeliveries.connector, status: integrationDeliveries.status, n: sql<number>`count(*)::int` })
      .from(integrationDeliveries)
      .groupBy(integrationDeliveries.connector, integrationDeliveries.status),
  ])
  return CONNECTORS.map((connector) => {
    const h = health.find((row) => row.connector === connector)
    const by = (status: string) => counts.find((c) => c.connector === connector && c.status === status)?.n ?? 0
    const attempts = (h?.successCount ?? 0) + (h?.failureCount ?? 0)
    return {
      connector,
      partner: PARTNERS[connector],
      configured: configured(config, connector),
      state: h?.state ?? 'ok',
      /** Set when the partner's payloads left their contract: "partner changed". */
      warning: h?.state === 'degraded' ? h.degradedReason : null,
      degradedAt: h?.degradedAt ?? null,
      lastSuccessAt: h?.lastSuccessAt ?? null,
      lastFailureAt: h?.lastFailureAt ?? null,
      successCount: h?.successCount ?? 0,
      failureCount: h?.failureCount ?? 0,
      errorRate: attempts ? Math.round(((h?.failureCount ?? 0) / attempts) * 1000) / 1000 : 0,
      lastLatencyMs: h?.lastLatencyMs ?? null,
      deliveries: { pending: by('pending'), delivered: by('delivered'), held: by('held'), dead: by('dead') },
    }
  })
}
export type ConnectorHealth = Awaited<ReturnType<typeof listConnectorHealth>>[number]

const deliveryColumns = {
  id: integrationDeliveries.id,
  connector: integrationDeliveries.connector,
  webhookId: integrationDeliveries.webhookId,
  status: integrationDeliveries.status,
  attempts: integrationDeliveries.attempts,
  nextAttemptAt: integrationDeliveries.nextAttemptAt,
  lastError: integrationDeliveries.lastError,
  lastHttpStatus: integrationDeliveries.lastHttpStatus,
  lastResponse: integrationDeliveries.lastResponse,
  contractIssues: integrationDeliveries.contractIssues,
  externalId: integrationDeliveries.externalId,
  deliveredAt: integrationDeliveries.deliveredAt,
  createdAt: integrationDeliveries.createdAt,
  updatedAt: integrationDeliveries.updatedAt,
  eventId: integrationEvents.id,
  eventType: integrationEvents.type,
  aggregateType: integrationEvents.aggregateType,
  aggregateId: integrationEvents.aggregateId,
}

/** The delivery log, newest first, by connector and status, paged by id. */
export async function listDeliveries(db: DbOrTx, query: DeliveriesQuery) {
  const filters = []
  if (query.connector?.length) filters.push(inArray(integrationDeliveries.connector, query.connector))
  if (query.status?.length) filters.push(inArray(integrationDeliveries.status, query.status))
  if (query.webhook) filters.push(eq(integrationDeliveries.webhookId, query.webhook))
  if (query.before) filters.push(lt(integrationDeliveries.id, query.before))
  const rows = await db
    .select(deliveryColumns)
    .from(integrationDeliveries)
    .innerJoin(integrationEvents, eq(integrationEvents.id, integrationDeliveries.eventId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(integrationDeliveries.id))
    .limit(query.limit + 1)
  return { items: rows.slice(0, query.limit), nextBefore: rows.length > query.limit ? rows[query.limit - 1]!.id : null }
}

/** One delivery with the event it carries. */
export async function getDelivery(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ ...deliveryColumns, payload: integrationEvents.payload })
    .from(integrationDeliveries)
    .innerJoin(integrationEvents, eq(integrationEvents.id, integrationDeliveries.eventId))
    .where(eq(integrationDeliveries.id, id))
  if (!row) throw new DomainError('not_found', 'No such delivery')
  return row
}

/** Sends a held or dead delivery again (its attempts start over), audited. Delivered ones are never sent twice. */
export async function retryDelivery(ctx: ServiceContext, id: number) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such delivery')
    if (before.status !== 'held' && before.status !== 'dead') throw new DomainError('conflict', before.status === 'delivered' ? 'This delivery was delivered; it is never sent twice' : 'This delivery is already waiting to be sent', 409, { status: before.status })
    await w.db.update(integrationDeliveries).set({ status: 'pending', attempts: 0, nextAttemptAt: null, lockedUntil: null }).where(eq(integrationDeliveries.id, id))
    await w.enqueue(deliverIntegrationEventJob, deliveryJob(before), { singletonKey: `delivery-${id}` })
    await w.audit({ action: 'integration.retry', entityType: 'integration_delivery', entityId: id, before: { status: before.status, attempts: before.attempts, lastError: before.lastError }, after: { status: 'pending' } })
    return { id, status: 'pending' as const }
  })
}

/** Sends every held (or dead) delivery of a connector again: the replay after a partner is fixed. */
export async function retryDeliveries(ctx: ServiceContext, connector: ConnectorName, status?: 'held' | 'dead') {
  return write(ctx, async (w) => {
    const rows = await w.db
      .update(integrationDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: null, lockedUntil: null })
      .where(and(eq(integrationDeliveries.connector, connector), inArray(integrationDeliveries.status, status ? [status] : ['held', 'dead'])))
      .returning({ id: integrationDeliveries.id, connector: integrationDeliveries.connector, webhookId: integrationDeliveries.webhookId })
    for (const row of rows) await w.enqueue(deliverIntegrationEventJob, deliveryJob(row), { singletonKey: `delivery-${row.id}` })
    await w.audit({ action: 'integration.retry-all', entityType: 'integration', entityId: connector, after: { status: status ?? 'held+dead', deliveries: rows.length } })
    return { connector, retried: rows.length }
  })
}

/** Staff looked at a "partner changed" warning and dealt with it (held deliveries stay until retried). */
export async function dismissConnectorWarning(ctx: ServiceContext, connector: ConnectorName) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(integrationConnectors).where(eq(integrationConnectors.connector, connector))
    if (!before || before.state !== 'degraded') return { connector, state: 'ok' as const }
    await w.db.update(integrationConnectors).set({ state: 'ok', degradedReason: null, degradedAt: null, alertedAt: null }).where(eq(integrationConnectors.connector, connector))
    await w.audit({ action: 'integration.warning-dismissed', entityType: 'integration', entityId: connector, before: { state: before.state, reason: before.degradedReason }, after: { state: 'ok' } })
    return { connector, state: 'ok' as const }
  })
}

/**
 * Keeps the outbox small: events older than `eventDays` whose every delivery was delivered go
 * (with their deliveries); an event with a held, dead or pending delivery stays until it is handled.
 * Inbound payloads older than `inboundDays` go, except quarantined ones nobody looked at in time.
 */
export async function pruneIntegrationEvents(db: DbOrTx, eventDays = 90, inboundDays = 30) {
  const events = await db
    .delete(integrationEvents)
    .where(
      and(
        lt(integrationEvents.createdAt, sql`now() - make_interval(days => ${eventDays})`),
        sql`not exists (select 1 from ${integrationDeliveries} where ${integrationDeliveries.eventId} = ${integrationEvents.id} and ${integrationDeliveries.status} <> 'delivered')`,
      ),
    )
    .returning({ id: integrationEvents.id })
  const inbound = await db
    .delete(integrationInbound)
    .where(and(lt(integrationInbound.createdAt, sql`now() - make_interval(days => ${inboundDays})`), sql`${integrationInbound.status} <> 'quarantined'`))
    .returning({ id: integrationInbound.id })
  return { events: events.length, inbound: inbound.length }
}
