import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import type { ConnectorName, DeliveryStatus, IntegrationEventType } from '../../../shared/schemas/integrations'

/**
 * The outbox: one row per domain event, written in the transaction of the change it describes.
 * Its id is the idempotency key every partner gets for it, however often it is delivered.
 */
export const integrationEvents = pgTable(
  'integration_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').$type<IntegrationEventType>().notNull(),
    /** What the event is about (`order` 42): deliveries for one aggregate go out in event order. */
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    /** A snapshot taken with the change, so a late delivery says what was true then. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [index('integration_events_aggregate_idx').on(t.aggregateType, t.aggregateId, t.createdAt)],
)

/**
 * An outbound webhook staff set up in /admin: where to POST, which events, and the secret each
 * delivery is signed with. Each endpoint is a delivery target of the outbox (a delivery row per
 * event x endpoint, connector `webhook`), so retries, dead letters and replay are the outbox's.
 * Who created or changed it is in the audit log (no user reference here).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    events: jsonb('events').$type<IntegrationEventType[]>().notNull(),
    /** The signing secret; shown to staff once (on creation and on rotation), never again. */
    secret: text('secret').notNull(),
    /** After a rotation the old secret also signs until then, so the receiver can switch without losing deliveries. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true, mode: 'date' }),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [index('webhook_endpoints_active_idx').on(t.active)],
)

/** One event to one connector: attempts, the partner's last answer, and why it is held. */
export const integrationDeliveries = pgTable(
  'integration_deliveries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => integrationEvents.id, { onDelete: 'cascade' }),
    connector: text('connector').$type<ConnectorName>().notNull(),
    /** For connector `webhook`: which of the endpoints set up in /admin (each is its own target). */
    webhookId: integer('webhook_id').references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** Copied from the event: the per-aggregate ordering check reads it without a join. */
    aggregateKey: text('aggregate_key').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** A worker holds the delivery until then; another worker may take it over after (a crash). */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    lastHttpStatus: integer('last_http_status'),
    /** The partner's last answer (trimmed), or the raw payload that broke the contract. */
    lastResponse: jsonb('last_response').$type<unknown>(),
    /** Field paths where the partner's answer left its contract (`result: expected number`). */
    contractIssues: jsonb('contract_issues').$type<{ path: string; message: string }[]>(),
    /** The partner's id for what we created (the CRM deal id, the receipt uuid). */
    externalId: text('external_id'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    unique('integration_deliveries_event_target_key').on(t.eventId, t.connector, t.webhookId).nullsNotDistinct(),
    index('integration_deliveries_webhook_idx').on(t.webhookId, t.id),
    index('integration_deliveries_connector_idx').on(t.connector, t.id),
    index('integration_deliveries_status_idx').on(t.status, t.connector),
    index('integration_deliveries_aggregate_idx').on(t.connector, t.aggregateKey, t.id),
    check('integration_deliveries_status_check', sql`${t.status} in ('pending', 'delivered', 'held', 'dead')`),
  ],
)

/** Each connector's health: what /admin and /metrics show, and whether staff were warned. */
export const integrationConnectors = pgTable(
  'integration_connectors',
  {
    connector: text('connector').$type<ConnectorName>().primaryKey(),
    state: text('state').$type<'ok' | 'degraded'>().notNull().default('ok'),
    /** Why it is degraded: "the partner changed its answer" with the field paths. */
    degradedReason: text('degraded_reason'),
    degradedAt: timestamp('degraded_at', { withTimezone: true, mode: 'date' }),
    /** When owners were told in the chat; one message per degradation, not per delivery. */
    alertedAt: timestamp('alerted_at', { withTimezone: true, mode: 'date' }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    successCount: integer('success_count').notNull().default(0),
    failureCount: integer('failure_count').notNull().default(0),
    lastLatencyMs: integer('last_latency_ms'),
    ...timestamps,
  },
  (t) => [check('integration_connectors_state_check', sql`${t.state} in ('ok', 'degraded')`)],
)

/**
 * What partners sent us (webhooks) and what we pulled from them: applied, or quarantined with the
 * raw payload and the field paths that broke the contract, never half-applied.
 */
export const integrationInbound = pgTable(
  'integration_inbound',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    connector: text('connector').$type<ConnectorName>().notNull(),
    kind: text('kind').notNull(),
    status: text('status').$type<'accepted' | 'applied' | 'quarantined'>().notNull(),
    raw: jsonb('raw').$type<unknown>(),
    issues: jsonb('issues').$type<{ path: string; message: string }[]>(),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [
    index('integration_inbound_connector_idx').on(t.connector, t.id),
    check('integration_inbound_status_check', sql`${t.status} in ('accepted', 'applied', 'quarantined')`),
  ],
)
