/**
 * The outbox other modules write to. A service calls `emitIntegrationEvent(w, ...)` inside its own
 * `write`: the event, one delivery per interested partner and their jobs commit with the change,
 * or not at all.
 */
import { integrationDeliveries, integrationEvents } from '../../db/schema/integrations'
import type { IntegrationEventType } from '#shared/schemas/integrations'
import { OUTBOUND_CONNECTORS } from '../../integrations'
import type { WriteContext } from '../context'
import { deliverIntegrationEventJob, deliveryJob } from './jobs'
import { webhookTargets } from './webhooks'

export interface IntegrationEventInput {
  type: IntegrationEventType
  /** What the event is about; deliveries for one aggregate go out in the order they were emitted. */
  aggregateType: string
  aggregateId: string | number
  /** A snapshot of what partners need, as it is now (not ids to look up later). */
  payload: Record<string, unknown>
}

/**
 * Writes a domain event to the outbox and queues its delivery to every configured partner that
 * wants it and to every active webhook endpoint subscribed to its type (one delivery each).
 */
export async function emitIntegrationEvent(w: WriteContext, input: IntegrationEventInput) {
  const aggregateId = String(input.aggregateId)
  const [event] = await w.db.insert(integrationEvents).values({ type: input.type, aggregateType: input.aggregateType, aggregateId, payload: input.payload }).returning({ id: integrationEvents.id })
  const aggregateKey = `${input.aggregateType}:${aggregateId}`
  const targets = [
    ...OUTBOUND_CONNECTORS.filter((c) => c.settings(w.config) !== undefined && c.wants(input)).map((c) => ({ eventId: event!.id, connector: c.name, aggregateKey })),
    ...(await webhookTargets(w.db, input.type)).map((webhookId) => ({ eventId: event!.id, connector: 'webhook' as const, webhookId, aggregateKey })),
  ]
  if (!targets.length) return { eventId: event!.id, deliveries: [] as number[] }
  const rows = await w.db
    .insert(integrationDeliveries)
    .values(targets)
    .returning({ id: integrationDeliveries.id, connector: integrationDeliveries.connector, webhookId: integrationDeliveries.webhookId })
  for (const row of rows) await w.enqueue(deliverIntegrationEventJob, deliveryJob(row), { singletonKey: `delivery-${row.id}` })
  return { eventId: event!.id, deliveries: rows.map((r) => r.id) }
}
