import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, integrationDeliveries, integrationEvents, webhookEndpoints } from '../../../../server/db/schema'
import { write } from '../../../../server/services/context'
import { retryDelivery } from '../../../../server/services/integrations/admin'
import { deliverOnce, MAX_ATTEMPTS } from '../../../../server/services/integrations/delivery'
import { emitIntegrationEvent } from '../../../../server/services/integrations/outbox'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  isInternalAddress,
  listWebhookEndpoints,
  replayWebhookDeliveries,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  webhookUrlProblem,
} from '../../../../server/services/integrations/webhooks'
import { WebhookInputSchema } from '../../../../shared/schemas/partner-api'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { createTestDatabase, engine } from '../../../helpers/db'
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from '../../../helpers/fake-webhook-receiver'

let handle: DatabaseHandle
let services: TestServices
let flaky: FakeWebhookReceiver
let slow: FakeWebhookReceiver
let down: FakeWebhookReceiver
const OWNER = 1

beforeAll(async () => {
  flaky = await startFakeWebhookReceiver()
  slow = await startFakeWebhookReceiver({ slowMs: 300 })
  down = await startFakeWebhookReceiver()
  handle = await createTestDatabase()
  // Generous for a busy machine: only the receiver that never answers may time out.
  services = await createTestServices(handle, { PARTNER_TIMEOUT_MS: '1500' })
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
  await flaky?.close()
  await slow?.close()
  await down?.close().catch(() => {})
})

const owner = () => services.staff(OWNER, ['owner'])

async function addEndpoint(receiver: FakeWebhookReceiver, name: string, events: string[] = ['order.created', 'order.paid', 'booking.created']) {
  const created = await createWebhookEndpoint(owner(), WebhookInputSchema.parse({ name, url: receiver.url, events }))
  receiver.useSecrets([created.secret])
  return created
}

/** Emits events the way a module does: inside a write, one per aggregate unless told. */
async function emit(count: number, type: 'order.created' | 'order.paid' | 'booking.created' = 'order.created', aggregate?: number) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const { eventId } = await write(services.system('test'), (w) => emitIntegrationEvent(w, { type, aggregateType: 'order', aggregateId: aggregate ?? 10_000 + i, payload: { n: i } }))
    ids.push(eventId)
  }
  return ids
}

const webhookDeliveries = (webhookId: number) => handle.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.webhookId, webhookId)).orderBy(integrationDeliveries.id)

/** What the workers do: every pending delivery of these webhooks, again and again (backoff delays skipped), until none is pending. */
async function drain(webhookIds: number[], rounds = MAX_ATTEMPTS + 2) {
  for (let round = 0; round < rounds; round++) {
    const pending = await handle.db
      .select({ id: integrationDeliveries.id })
      .from(integrationDeliveries)
      .where(and(inArray(integrationDeliveries.webhookId, webhookIds), eq(integrationDeliveries.status, 'pending')))
      .orderBy(integrationDeliveries.id)
    if (!pending.length) return
    for (const { id } of pending) await deliverOnce(services, id)
  }
}

describe(`outbound webhooks on ${engine}`, () => {
  it('refuses internal and plain-http targets in production, allows local receivers in tests', () => {
    for (const url of ['http://example.com/h', 'https://127.0.0.1/h', 'https://10.1.2.3/h', 'https://192.168.0.10/h', 'https://169.254.169.254/latest', 'https://[::1]/h', 'https://[::ffff:127.0.0.1]/h', 'https://localhost/h', 'https://user:pw@example.com/h']) {
      expect(webhookUrlProblem(url, true), url).toBeDefined()
    }
    expect(webhookUrlProblem('https://crm.example.com/hooks', true)).toBeUndefined()
    expect(webhookUrlProblem('http://127.0.0.1:3000/hooks', false)).toBeUndefined()
    expect(webhookUrlProblem('ftp://example.com/x', false)).toBeDefined()
    expect(isInternalAddress('100.64.1.1')).toBe(true)
    expect(isInternalAddress('fd00::1')).toBe(true)
    expect(isInternalAddress('93.184.216.34')).toBe(false)
  })

  it('shows the secret once, never in the list or the audit log', async () => {
    const created = await addEndpoint(flaky, 'secret-check', ['form.submitted'])
    expect(created.secret).toMatch(/^whsec_/)
    const listed = (await listWebhookEndpoints(handle.db)).find((w) => w.id === created.webhook.id)!
    expect(JSON.stringify(listed)).not.toContain(created.secret)
    const audit = await handle.db.select().from(auditEntries).where(and(eq(auditEntries.entityType, 'webhook_endpoint'), eq(auditEntries.entityId, String(created.webhook.id))))
    expect(audit.map((a) => a.action)).toEqual(['webhook.create'])
    expect(JSON.stringify(audit)).not.toContain(created.secret)
    await deleteWebhookEndpoint(owner(), created.webhook.id)
  })

  it('stores the secret sealed (a dump does not show it); with another SESSION_SECRET the delivery is held, saying why', async () => {
    const receiver = await startFakeWebhookReceiver()
    const created = await addEndpoint(receiver, 'sealed', ['booking.created'])
    const [row] = await handle.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.webhook.id))
    expect(row!.secret).toMatch(/^sealed:v1:/)
    expect(JSON.stringify(row)).not.toContain(created.secret.slice('whsec_'.length))
    const [eventId] = await emit(1, 'booking.created', 77_001)
    const [delivery] = await handle.db.select().from(integrationDeliveries).where(and(eq(integrationDeliveries.eventId, eventId!), eq(integrationDeliveries.webhookId, created.webhook.id)))
    const moved = { ...services, config: { ...services.config, sessionSecret: 'another-installation-secret-0123456789' } }
    expect(await deliverOnce(moved, delivery!.id)).toBe('held')
    const [held] = await handle.db.select().from(integrationDeliveries).where(eq(integrationDeliveries.id, delivery!.id))
    expect(held!.lastError).toMatch(/SESSION_SECRET changed\?\): rotate it in \/admin/)
    // With the installation's own secret it goes out, signed with the secret shown at creation.
    await retryDelivery(owner(), delivery!.id)
    expect(['delivered', 'skipped']).toContain(await deliverOnce(services, delivery!.id)) // or the queue's worker got it first
    await expect.poll(() => receiver.accepted.filter((a) => a.id === eventId), { timeout: 10_000 }).toEqual([expect.objectContaining({ verified: true })])
    await deleteWebhookEndpoint(owner(), created.webhook.id)
    await receiver.close()
  })

  it('delivers every event exactly once to three misbehaving receivers, signed, after a dead-letter replay', async () => {
    const a = await addEndpoint(flaky, 'flaky')
    const b = await addEndpoint(slow, 'slow')
    const c = await addEndpoint(down, 'down')
    const ids = [a.webhook.id, b.webhook.id, c.webhook.id]
    await down.down() // down for the whole test, until the replay
    flaky.plan.push('http500', 'http500', 'http500')
    slow.plan.push('hang', 'slow', 'slow', 'slow')
    const events = await emit(5)
    // One delivery per event and endpoint, written with the events.
    expect((await webhookDeliveries(a.webhook.id)).length).toBe(5)
    const queued = (await services.queued('integrations.deliver')).map((j) => j.data.deliveryId)
    for (const d of await webhookDeliveries(c.webhook.id)) expect(queued).toContain(d.id)

    await drain(ids)
    for (const receiver of [flaky, slow]) {
      expect([...receiver.countsById().entries()].sort()).toEqual(events.map((id) => [id, 1]).sort())
      expect(receiver.accepted.every((w) => w.verified && w.idempotencyKey === w.id)).toBe(true)
    }
    const deadOnes = await webhookDeliveries(c.webhook.id)
    expect(deadOnes.map((d) => d.status)).toEqual(Array(5).fill('dead'))
    expect(deadOnes[0]).toMatchObject({ attempts: MAX_ATTEMPTS })
    expect(deadOnes[0]!.lastError).toMatch(/cannot connect/)
    expect((await listWebhookEndpoints(handle.db)).find((w) => w.id === c.webhook.id)!.deliveries).toMatchObject({ dead: 5, delivered: 0 })

    // The receiver is back: the owner replays its dead letters in bulk (audited).
    await down.up()
    expect(await replayWebhookDeliveries(owner(), c.webhook.id)).toEqual({ id: c.webhook.id, replayed: 5 })
    await drain(ids)
    expect([...down.countsById().entries()].sort()).toEqual(events.map((id) => [id, 1]).sort())
    expect(down.accepted.every((w) => w.verified)).toBe(true)
    // Nothing doubled anywhere: a delivered delivery is never sent again.
    await expect(retryDelivery(owner(), (await webhookDeliveries(a.webhook.id))[0]!.id)).rejects.toMatchObject({ code: 'conflict' })
    for (const receiver of [flaky, slow, down]) expect(receiver.accepted.length).toBe(5)
    const audit = await handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'webhook.replay'), eq(auditEntries.entityId, String(c.webhook.id))))
    expect(audit).toHaveLength(1)
    for (const id of ids) await deleteWebhookEndpoint(owner(), id)
  })

  it('replays one dead delivery by itself, and keeps the order of one aggregate per endpoint', async () => {
    const created = await addEndpoint(down, 'ordering', ['order.created', 'order.paid'])
    await down.down()
    const [first] = await emit(1, 'order.created', 777)
    const [second] = await emit(1, 'order.paid', 777)
    const [d1, d2] = await webhookDeliveries(created.webhook.id)
    // The later event of the same order waits while the earlier one is pending (no attempt spent).
    expect(await deliverOnce(services, d2!.id)).toBe('waiting')
    expect((await webhookDeliveries(created.webhook.id))[1]!.attempts).toBe(0)
    for (let i = 0; i < MAX_ATTEMPTS; i++) await deliverOnce(services, d1!.id)
    expect((await webhookDeliveries(created.webhook.id))[0]!.status).toBe('dead')
    await down.up()
    // A dead earlier event does not block the later one.
    expect(await deliverOnce(services, d2!.id)).toBe('delivered')
    await retryDelivery(owner(), d1!.id)
    expect(await deliverOnce(services, d1!.id)).toBe('delivered')
    expect(down.accepted.slice(-2).map((w) => w.id)).toEqual([second, first])
    await deleteWebhookEndpoint(owner(), created.webhook.id)
  })

  it('signs with both secrets for a day after a rotation; a paused endpoint gets no new deliveries', async () => {
    const created = await addEndpoint(slow, 'rotation', ['booking.created'])
    const rotated = await rotateWebhookSecret(owner(), created.webhook.id)
    expect(rotated.secret).not.toBe(created.secret)
    expect(rotated.webhook.secretRotatedUntil).not.toBeNull()
    const [event] = await emit(1, 'booking.created')
    const [delivery] = await webhookDeliveries(created.webhook.id)
    expect(await deliverOnce(services, delivery!.id)).toBe('delivered')
    const received = slow.accepted.find((w) => w.id === event)!
    expect(received.signature.match(/v1=/g)).toHaveLength(2)
    slow.useSecrets([rotated.secret])
    expect(slow.accepted.length).toBeGreaterThan(0)
    const { verifyWebhookSignature } = await import('../../../helpers/fake-webhook-receiver')
    expect(verifyWebhookSignature(received.signature, received.body, rotated.secret)).toBe(true)
    expect(verifyWebhookSignature(received.signature, received.body, created.secret)).toBe(true)
    expect(verifyWebhookSignature(received.signature, received.body, 'whsec_wrong')).toBe(false)
    // Too old for the replay window: refused by the receiver's check.
    expect(verifyWebhookSignature(received.signature, received.body, rotated.secret, 300, (received.timestamp + 301) * 1000)).toBe(false)

    await updateWebhookEndpoint(owner(), created.webhook.id, { active: false })
    await emit(1, 'booking.created')
    expect(await webhookDeliveries(created.webhook.id)).toHaveLength(1)
    const events = await handle.db.select().from(integrationEvents).where(eq(integrationEvents.type, 'booking.created'))
    expect(events.length).toBeGreaterThanOrEqual(2) // still stored in the outbox
    await deleteWebhookEndpoint(owner(), created.webhook.id)
  })
})
