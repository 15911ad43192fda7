/**
 * Delivering outbox events to partners, one delivery (event x connector) at a time:
 * - a delivery is claimed with a short lock, so two workers never send it at once;
 * - deliveries of one aggregate (an order) go out in the order they were emitted;
 * - a partner that is down or slow is retried with exponential backoff and jitter, planned on
 *   the row and queued in the same transaction, until MAX_ATTEMPTS, then the delivery is dead;
 * - an answer outside the partner's contract holds the delivery with the raw answer and the field
 *   paths, marks the connector degraded and warns owners once; a refused request (4xx) is held too;
 * - the event id is the idempotency key: the partner adapter makes a repeat find what the first
 *   attempt created instead of creating it twice.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { ConnectorName } from '#shared/schemas/integrations'
import { integrationConnectors, integrationDeliveries, integrationEvents } from '../../db/schema/integrations'
import { ContractDriftError, PartnerRejectedError, PartnerUnavailableError, type ContractIssue } from '../../integrations/http'
import { outboundConnector } from '../../integrations'
import type { DeliveryResult } from '../../integrations/types'
import type { DbOrTx } from '../../db/client'
import { systemContext, write, type ContextSource, type WriteContext } from '../context'
import { deliverIntegrationEventJob, deliveryJob, integrationAlertJob } from './jobs'
import { findWebhookEndpoint, sendWebhook, signingSecrets } from './webhooks'
import { SecretUnreadableError } from './sealed-secrets'
import { forgetErasureNoticeOnceSent } from './account'

/** Attempts before a delivery is dead (about 3 hours of backoff with the default base). */
export const MAX_ATTEMPTS = 10
const BASE_DELAY_SECONDS = 10
const MAX_DELAY_SECONDS = 3600
const LOCK_SECONDS = 120

/** Seconds before attempt `attempt + 1`: exponential, capped at an hour, with +-20 % jitter so retries do not arrive in waves. */
export function backoffSeconds(attempt: number, random = Math.random) {
  const base = Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1))
  return Math.max(1, Math.round(base * (0.8 + random() * 0.4)))
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead' | 'held' | 'waiting' | 'skipped'

/** Keeps what is stored of a partner's answer small. */
function trimmed(value: unknown): unknown {
  if (value === undefined) return null
  const text = JSON.stringify(value)
  return text.length <= 4000 ? value : { truncated: text.slice(0, 4000) }
}

/** Counts a partner call for the connector's health (what /admin and /metrics show). */
export async function recordHealth(db: DbOrTx, connector: ConnectorName, ok: boolean, latencyMs?: number) {
  const now = sql`now()`
  await db
    .insert(integrationConnectors)
    .values({ connector, successCount: ok ? 1 : 0, failureCount: ok ? 0 : 1, lastSuccessAt: ok ? new Date() : null, lastFailureAt: ok ? null : new Date(), lastLatencyMs: latencyMs ?? null })
    .onConflictDoUpdate({
      target: integrationConnectors.connector,
      set: ok
        ? { successCount: sql`${integrationConnectors.successCount} + 1`, lastSuccessAt: now, lastLatencyMs: latencyMs ?? sql`${integrationConnectors.lastLatencyMs}`, updatedAt: now }
        : { failureCount: sql`${integrationConnectors.failureCount} + 1`, lastFailureAt: now, updatedAt: now },
    })
}

/**
 * Marks a connector degraded because its partner's payload left the contract, and queues one chat
 * alert to owners and admins when it was healthy until now (not one per delivery).
 */
export async function markConnectorDegraded(w: WriteContext, connector: ConnectorName, reason: string) {
  await w.db.insert(integrationConnectors).values({ connector }).onConflictDoNothing()
  const [changed] = await w.db
    .update(integrationConnectors)
    .set({ state: 'degraded', degradedReason: reason.slice(0, 2000), degradedAt: sql`now()`, alertedAt: sql`now()` })
    .where(and(eq(integrationConnectors.connector, connector), eq(integrationConnectors.state, 'ok')))
    .returning({ connector: integrationConnectors.connector })
  if (changed) await w.enqueue(integrationAlertJob, { connector, reason: reason.slice(0, 2000) })
  return Boolean(changed)
}

async function clearDegradedIfNothingHeld(db: DbOrTx, connector: ConnectorName) {
  await db
    .update(integrationConnectors)
    .set({ state: 'ok', degradedReason: null, degradedAt: null, alertedAt: null })
    .where(
      and(
        eq(integrationConnectors.connector, connector),
        eq(integrationConnectors.state, 'degraded'),
        sql`not exists (select 1 from ${integrationDeliveries} where ${integrationDeliveries.connector} = ${connector} and ${integrationDeliveries.status} = 'held' and ${integrationDeliveries.contractIssues} is not null)`,
      ),
    )
}

/** Claims a pending delivery for this worker (one attempt), or nothing when another holds it or it is done. */
async function claim(db: DbOrTx, deliveryId: number) {
  const [row] = await db
    .update(integrationDeliveries)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${LOCK_SECONDS})`, attempts: sql`${integrationDeliveries.attempts} + 1` })
    .where(and(eq(integrationDeliveries.id, deliveryId), eq(integrationDeliveries.status, 'pending'), or(isNull(integrationDeliveries.lockedUntil), lt(integrationDeliveries.lockedUntil, sql`now()`))))
    .returning()
  return row
}

/**
 * One attempt at one delivery; what the worker runs. Safe to run twice for the same delivery
 * (a duplicate job, a crashed worker's job expiring): the claim lets one through, and the
 * partner adapter finds what an earlier attempt already created.
 */
export async function deliverOnce(services: ContextSource, deliveryId: number): Promise<DeliveryOutcome> {
  const delivery = await claim(services.db, deliveryId)
  if (!delivery) return 'skipped'
  const ctx = systemContext(services, 'integrations.deliver')

  // An earlier event about the same order still waits: go after it, without spending an attempt.
  // (A webhook endpoint is its own target: its order is kept per endpoint.)
  const sameTarget = delivery.webhookId === null ? isNull(integrationDeliveries.webhookId) : eq(integrationDeliveries.webhookId, delivery.webhookId)
  const [earlier] = await services.db
    .select({ id: integrationDeliveries.id })
    .from(integrationDeliveries)
    .where(and(eq(integrationDeliveries.connector, delivery.connector), sameTarget, eq(integrationDeliveries.aggregateKey, delivery.aggregateKey), lt(integrationDeliveries.id, delivery.id), eq(integrationDeliveries.status, 'pending')))
    .limit(1)
  if (earlier) {
    await write(ctx, async (w) => {
      await w.db.update(integrationDeliveries).set({ lockedUntil: null, attempts: sql`${integrationDeliveries.attempts} - 1` }).where(eq(integrationDeliveries.id, delivery.id))
      await w.enqueue(deliverIntegrationEventJob, deliveryJob(delivery), { startAfter: 5, singletonKey: `delivery-${delivery.id}` })
    })
    return 'waiting'
  }

  const [event] = await services.db.select().from(integrationEvents).where(eq(integrationEvents.id, delivery.eventId))
  let send: (() => Promise<DeliveryResult>) | undefined
  let missing = 'unknown connector'
  if (delivery.connector === 'webhook') {
    const endpoint = delivery.webhookId === null ? undefined : await findWebhookEndpoint(services.db, delivery.webhookId)
    if (endpoint && !endpoint.active) missing = 'this webhook is paused: replay it once it is on again'
    else if (endpoint && event) {
      const secrets = await signingSecrets(services, endpoint).catch((error: unknown) => {
        if (error instanceof SecretUnreadableError) return error
        throw error
      })
      if (secrets instanceof SecretUnreadableError) missing = `webhook ${endpoint.id}: ${secrets.message}`
      else send = () => sendWebhook(endpoint, secrets, { ...event }, services.config)
    }
  } else {
    const connector = outboundConnector(delivery.connector)
    const settings = connector?.settings(services.config)
    if (connector) missing = `${connector.partner} is not configured any more`
    if (event && connector && settings !== undefined) send = () => connector.deliver({ ...event }, settings)
  }
  if (!event || !send) {
    await hold(ctx, delivery.id, { error: missing })
    return 'held'
  }

  let result: DeliveryResult
  try {
    result = await send()
  } catch (error) {
    return failed(ctx, delivery, error)
  }
  await write(ctx, async (w) => {
    await w.db
      .update(integrationDeliveries)
      .set({ status: 'delivered', deliveredAt: sql`now()`, lockedUntil: null, externalId: result.externalId ?? null, lastResponse: trimmed(result.response), lastHttpStatus: result.httpStatus ?? null, lastError: null, contractIssues: null, nextAttemptAt: null })
      .where(eq(integrationDeliveries.id, delivery.id))
    await recordHealth(w.db, delivery.connector, true, result.latencyMs)
    await clearDegradedIfNothingHeld(w.db, delivery.connector)
    await forgetErasureNoticeOnceSent(w.db, delivery.eventId)
  })
  return 'delivered'
}

async function hold(ctx: ReturnType<typeof systemContext>, deliveryId: number, what: { error: string; httpStatus?: number | null; response?: unknown; issues?: ContractIssue[] }) {
  await ctx.db
    .update(integrationDeliveries)
    .set({ status: 'held', lockedUntil: null, nextAttemptAt: null, lastError: what.error.slice(0, 2000), lastHttpStatus: what.httpStatus ?? null, lastResponse: trimmed(what.response), contractIssues: what.issues ?? null })
    .where(eq(integrationDeliveries.id, deliveryId))
}

async function failed(ctx: ReturnType<typeof systemContext>, delivery: typeof integrationDeliveries.$inferSelect, error: unknown): Promise<DeliveryOutcome> {
  const connector = delivery.connector
  if (error instanceof ContractDriftError) {
    await write(ctx, async (w) => {
      await hold(w, delivery.id, { error: error.message, response: error.raw, issues: error.issues })
      await recordHealth(w.db, connector, false)
      await markConnectorDegraded(w, connector, error.message)
    })
    ctx.logger.warn('partner answer broke its contract: delivery held', { connector, deliveryId: delivery.id, issues: error.issues })
    return 'held'
  }
  if (error instanceof PartnerRejectedError) {
    await write(ctx, async (w) => {
      await hold(w, delivery.id, { error: error.message, httpStatus: error.httpStatus, response: error.body })
      await recordHealth(w.db, connector, false)
    })
    ctx.logger.warn('partner refused a delivery: held', { connector, deliveryId: delivery.id, status: error.httpStatus })
    return 'held'
  }
  const unavailable = error instanceof PartnerUnavailableError ? error : undefined
  const message = unavailable?.message ?? `unexpected: ${(error as Error)?.message ?? String(error)}`
  const dead = delivery.attempts >= MAX_ATTEMPTS
  const delay = Math.max(unavailable?.retryAfterSeconds ?? 0, backoffSeconds(delivery.attempts))
  await write(ctx, async (w) => {
    await w.db
      .update(integrationDeliveries)
      .set({
        status: dead ? 'dead' : 'pending',
        lockedUntil: null,
        lastError: message.slice(0, 2000),
        lastHttpStatus: unavailable?.httpStatus ?? null,
        lastResponse: trimmed(unavailable?.body),
        nextAttemptAt: dead ? null : sql`now() + make_interval(secs => ${delay})`,
      })
      .where(eq(integrationDeliveries.id, delivery.id))
    await recordHealth(w.db, connector, false)
    if (dead) await forgetErasureNoticeOnceSent(w.db, delivery.eventId)
    else await w.enqueue(deliverIntegrationEventJob, deliveryJob(delivery), { startAfter: delay, singletonKey: `delivery-${delivery.id}` })
  })
  if (!unavailable) ctx.logger.error('delivery failed unexpectedly', { connector, deliveryId: delivery.id, error })
  return dead ? 'dead' : 'retrying'
}
