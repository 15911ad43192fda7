/**
 * Outbound webhooks staff set up in /admin. Each endpoint is one more delivery target of the
 * outbox (connector `webhook`, one delivery row per event x endpoint), so retries with backoff and
 * jitter, dead letters, ordering per aggregate and replay are the outbox's own
 * (services/integrations/delivery.ts); this file adds what is particular to webhooks:
 * - the endpoint's URL is checked against SSRF in production (https only, no private, loopback or
 *   link-local address - checked again on every connection, after DNS, so a name that later
 *   points inside is refused too); the sandbox and tests may post to localhost;
 * - each delivery is signed: HMAC-SHA256 over `<timestamp>.<body>` with the endpoint's secret,
 *   sent as `X-Webhook-Signature: t=<timestamp>,v1=<hex>` (a second `v1=` with the previous secret
 *   for a day after a rotation); the event id is in `X-Webhook-Id` and `Idempotency-Key`; the
 *   secrets are stored sealed (sealed-secrets.ts), never readable in a dump;
 * - any answer other than 2xx (a redirect included: we never follow one) is retried.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { IntegrationEventType } from '#shared/schemas/integrations'
import type { WebhookInput, WebhookPatch } from '#shared/schemas/partner-api'
import { integrationDeliveries, webhookEndpoints } from '../../db/schema/integrations'
import type { DbOrTx } from '../../db/client'
import { PartnerUnavailableError } from '../../integrations/http'
import type { DeliveryResult, OutboundEvent } from '../../integrations/types'
import type { AppConfig } from '../../utils/config'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { deliverIntegrationEventJob, deliveryJob } from './jobs'
import { installationSecret } from '../auth/installation-secret'
import { openSecret, sealSecret } from './sealed-secrets'

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect

/** How long the secret before a rotation still signs (a second `v1=`), so receivers can switch over. */
export const PREVIOUS_SECRET_GRACE_HOURS = 24
const TIMEOUT_MS = 10_000
const MAX_RESPONSE_BYTES = 4096

type TargetConfig = Pick<AppConfig, 'env' | 'telegram'> & { integrations?: { webhookTimeoutMs?: number; webhooksAllowPrivate?: boolean } }

/** Production refuses internal targets (unless WEBHOOKS_ALLOW_PRIVATE=1); the sandbox and tests post to local receivers. */
export const strictWebhookTargets = (config: TargetConfig) => config.env === 'production' && !config.telegram.sandbox && !config.integrations?.webhooksAllowPrivate

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 included). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return blocked.check(mapped[1]!, 'ipv4')
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (mappedHex) {
    const [hi, lo] = [parseInt(mappedHex[1]!, 16), parseInt(mappedHex[2]!, 16)]
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4')
  }
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) return blocked.check(address, 'ipv6')
  return true
}

/** Why a webhook URL may not be used (undefined when it may). Strict (production): https and no internal host. */
export function webhookUrlProblem(value: string, strict: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'not a URL'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http(s) URLs'
  if (url.username || url.password) return 'no user name or password in the URL'
  if (!strict) return undefined
  if (url.protocol !== 'https:') return 'only https URLs in production'
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return 'no internal host names'
  if (isIP(host) && isInternalAddress(host)) return 'no private, loopback or link-local addresses'
  return undefined
}

/** Resolves like the OS does, refusing (in production) a name that points at an internal address. */
function guardedLookup(strict: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0)
      const list = addresses as LookupAddress[]
      const bad = strict ? list.find((a) => isInternalAddress(a.address)) : undefined
      if (bad) return callback(Object.assign(new Error(`${hostname} resolves to an internal address (${bad.address})`), { code: 'EINTERNAL' }), '', 0)
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list)
      callback(null, list[0]!.address, list[0]!.family)
    })
  }
}

/** `X-Webhook-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1` per valid secret. */
export function signWebhook(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${createHmac('sha256', s).update(`${timestamp}.${body}`).digest('hex')}`)].join(',')
}

/** What a receiver gets: the event as the outbox stored it. */
export function webhookBody(event: OutboundEvent) {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    aggregate: { type: event.aggregateType, id: event.aggregateId },
    data: event.payload,
  })
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`

/** The secrets a delivery is signed with now, opened: the current one and, within its grace, the one before. Throws SecretUnreadableError. */
export async function signingSecrets(deps: { db: DbOrTx; config: Pick<AppConfig, 'sessionSecret'> }, endpoint: WebhookEndpointRow, now = Date.now()): Promise<string[]> {
  const material = await installationSecret(deps)
  const stored = endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil.getTime() > now ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret]
  return stored.map((s) => openSecret(s, material))
}

/** One POST to one endpoint; resolves on 2xx, throws PartnerUnavailableError otherwise (the delivery retries). */
export async function sendWebhook(endpoint: WebhookEndpointRow, secrets: readonly string[], event: OutboundEvent, config: TargetConfig): Promise<DeliveryResult> {
  const timeoutMs = config.integrations?.webhookTimeoutMs ?? TIMEOUT_MS
  const strict = strictWebhookTargets(config)
  const what = `webhook ${endpoint.id}`
  const problem = webhookUrlProblem(endpoint.url, strict)
  if (problem) throw new PartnerUnavailableError(`${what}: ${problem}`)
  const body = webhookBody(event)
  const timestamp = Math.floor(Date.now() / 1000)
  const url = new URL(endpoint.url)
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'tma-platform-webhooks/1',
    'x-webhook-id': event.id,
    'idempotency-key': event.id,
    'x-webhook-event': event.type,
    'x-webhook-timestamp': String(timestamp),
    'x-webhook-signature': signWebhook(secrets, timestamp, body),
  }
  const started = performance.now()
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  const answer = await new Promise<{ status: number; text: string; retryAfter?: string }>((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, lookup: guardedLookup(strict), timeout: timeoutMs }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        if (text.length < MAX_RESPONSE_BYTES) text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, MAX_RESPONSE_BYTES), retryAfter: res.headers['retry-after'] }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })))
    req.on('error', reject)
    req.end(body)
  }).catch((error: Error) => {
    throw new PartnerUnavailableError(`${what}: ${(error as { code?: string }).code === 'ETIMEDOUT' ? 'no answer in time' : `cannot connect (${error.message})`}`)
  })
  const latencyMs = Math.round(performance.now() - started)
  if (answer.status < 200 || answer.status >= 300) {
    // A receiver's Retry-After (in seconds) is honoured, up to an hour.
    const retryAfter = answer.retryAfter && /^\d{1,6}$/.test(answer.retryAfter) ? Math.min(3600, Number(answer.retryAfter)) : 0
    throw new PartnerUnavailableError(`${what}: HTTP ${answer.status}${answer.status >= 300 && answer.status < 400 ? ' (redirects are not followed)' : ''}`, answer.status, answer.text || null, retryAfter || null)
  }
  return { httpStatus: answer.status, latencyMs, response: answer.text || null }
}

/** The active endpoints that want this event type (the outbox adds one delivery for each). */
export async function webhookTargets(db: DbOrTx, type: IntegrationEventType): Promise<number[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.active, true), sql`${webhookEndpoints.events} @> ${JSON.stringify([type])}::jsonb`))
  return rows.map((r) => r.id)
}

export async function findWebhookEndpoint(db: DbOrTx, id: number) {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id))
  return row
}

// ---- /admin -------------------------------------------------------------------------------

/** What /admin sees of an endpoint: never the secret. */
export const toWebhookDto = (row: WebhookEndpointRow, counts?: Partial<Record<'pending' | 'delivered' | 'held' | 'dead', number>>) => ({
  id: row.id,
  name: row.name,
  url: row.url,
  events: row.events,
  active: row.active,
  secretRotatedUntil: row.previousSecretUntil && row.previousSecretUntil.getTime() > Date.now() ? row.previousSecretUntil : null,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deliveries: { pending: counts?.pending ?? 0, delivered: counts?.delivered ?? 0, held: counts?.held ?? 0, dead: counts?.dead ?? 0 },
})

function checkUrl(ctx: ServiceContext, url: string) {
  const problem = webhookUrlProblem(url, strictWebhookTargets(ctx.config))
  if (problem) throw new DomainError('webhook_url_refused', `This URL cannot receive webhooks: ${problem}`, 400, [{ path: 'url', message: problem }])
}

/** Every endpoint with its deliveries by status. */
export async function listWebhookEndpoints(db: DbOrTx) {
  const [rows, counts] = await Promise.all([
    db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.id)),
    db
      .select({ webhookId: integrationDeliveries.webhookId, status: integrationDeliveries.status, n: sql<number>`count(*)::int` })
      .from(integrationDeliveries)
      .where(eq(integrationDeliveries.connector, 'webhook'))
      .groupBy(integrationDeliveries.webhookId, integrationDeliveries.status),
  ])
  return rows.map((row) => toWebhookDto(row, Object.fromEntries(counts.filter((c) => c.webhookId === row.id).map((c) => [c.status, c.n]))))
}

/** Adds an endpoint (audited); the answer holds its secret, the only time it is shown. */
export async function createWebhookEndpoint(ctx: ServiceContext, input: WebhookInput) {
  checkUrl(ctx, input.url)
  return write(ctx, async (w) => {
    const secret = newSecret()
    const sealed = sealSecret(secret, await installationSecret(w))
    const [row] = await w.db.insert(webhookEndpoints).values({ name: input.name, url: input.url, events: [...new Set(input.events)], secret: sealed }).returning()
    await w.audit({ action: 'webhook.create', entityType: 'webhook_endpoint', entityId: row!.id, after: toWebhookDto(row!) })
    return { webhook: toWebhookDto(row!), secret }
  })
}

/** Changes the URL, events, name or pauses it (audited); pending deliveries follow the new URL. */
export async function updateWebhookEndpoint(ctx: ServiceContext, id: number, patch: WebhookPatch) {
  if (patch.url !== undefined) checkUrl(ctx, patch.url)
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such webhook')
    const [after] = await w.db
      .update(webhookEndpoints)
      .set({ ...patch, ...(patch.events ? { events: [...new Set(patch.events)] } : {}) })
      .where(eq(webhookEndpoints.id, id))
      .returning()
    await w.audit({ action: 'webhook.update', entityType: 'webhook_endpoint', entityId: id, before: toWebhookDto(before), after: toWebhookDto(after!) })
    return toWebhookDto(after!)
  })
}

/** A new secret (shown once); the old one still signs for PREVIOUS_SECRET_GRACE_HOURS (audited, secrets never in the log). */
export async function rotateWebhookSecret(ctx: ServiceContext, id: number) {
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such webhook')
    const secret = newSecret()
    const [after] = await w.db
      .update(webhookEndpoints)
      .set({ secret: sealSecret(secret, await installationSecret(w)), previousSecret: before.secret, previousSecretUntil: sql`now() + make_interval(hours => ${PREVIOUS_SECRET_GRACE_HOURS})` })
      .where(eq(webhookEndpoints.id, id))
      .returning()
    await w.audit({ action: 'webhook.rotate-secret', entityType: 'webhook_endpoint', entityId: id, after: { previousSecretUntil: after!.previousSecretUntil } })
    return { webhook: toWebhookDto(after!), secret }
  })
}

/** Removes an endpoint with its deliveries (audited): nothing more is sent to it. */
export async function deleteWebhookEndpoint(ctx: ServiceContext, id: number) {
  return write(ctx, async (w) => {
    const [before] = await w.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning()
    if (!before) throw new DomainError('not_found', 'No such webhook')
    await w.audit({ action: 'webhook.delete', entityType: 'webhook_endpoint', entityId: id, before: toWebhookDto(before) })
    return { id, deleted: true as const }
  })
}

/** Replays every dead (and held) delivery of one endpoint, once the receiver is back (audited). */
export async function replayWebhookDeliveries(ctx: ServiceContext, id: number, status?: 'held' | 'dead') {
  return write(ctx, async (w) => {
    const [endpoint] = await w.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, id))
    if (!endpoint) throw new DomainError('not_found', 'No such webhook')
    const rows = await w.db
      .update(integrationDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: null, lockedUntil: null })
      .where(and(eq(integrationDeliveries.webhookId, id), inArray(integrationDeliveries.status, status ? [status] : ['held', 'dead'])))
      .returning({ id: integrationDeliveries.id, connector: integrationDeliveries.connector, webhookId: integrationDeliveries.webhookId })
    for (const row of rows) await w.enqueue(deliverIntegrationEventJob, deliveryJob(row), { singletonKey: `delivery-${row.id}` })
    await w.audit({ action: 'webhook.replay', entityType: 'webhook_endpoint', entityId: id, after: { status: status ?? 'held+dead', deliveries: rows.length } })
    return { id, replayed: rows.length }
  })
}
