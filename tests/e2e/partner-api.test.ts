import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { startWebhookApp } from '../helpers/webhook-app'
import { launchBrowser } from '../helpers/browser'
import { eventually } from '../helpers/eventually'
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from '../helpers/fake-webhook-receiver'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'
import { adminLinkFromBot, adminToast, expectAdminScreen } from '../helpers/admin'

/**
 * Webhooks and the partner REST API against the built app: an owner adds a webhook and a placed
 * order reaches the receiver through the queue's own workers, signed; a receiver that was down
 * gets it from pg-boss's retry once it is back, exactly once; partners' API keys are scoped,
 * revocable, rate-limited, and their writes idempotent. (Dead letters and their replay:
 * tests/server/services/integrations/webhooks.test.ts.)
 */
const SECRET = 'partner-api-webhook-secret-0123456789'
const PUBLIC_URL = 'https://shop.example.com'
const OWNER: InitUser = { id: 884_000_001, first_name: 'Ольга', last_name: 'Мельник', language_code: 'en' }
const CUSTOMER: InitUser = { id: 884_000_002, first_name: 'Иван', last_name: 'Петров', language_code: 'ru' }

let fake: FakeBotApi
let receiver: FakeWebhookReceiver
let app: RunningApp
let browser: Browser

interface Answer {
  status: number
  body: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers
}
const call = async (path: string, init: { method?: string; user?: InitUser; key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> => {
  const res = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

async function placeOrder() {
  const product = (await call('/api/catalog/products/croissant')).body
  expect((await call('/api/cart/items', { method: 'POST', user: CUSTOMER, body: { productId: product.id, quantity: 1 } })).status).toBe(200)
  const options = (await call('/api/checkout/options', { user: CUSTOMER })).body
  const checkout = { delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Иван Петров', phone: '+7 900 555-12-34' }, paymentMethod: 'cash_on_delivery' }
  const order = await call('/api/orders', { method: 'POST', user: CUSTOMER, body: checkout, headers: { 'idempotency-key': `partner-${Date.now()}` } })
  expect(order.status).toBe(201)
  return order.body as { id: number; number: string }
}

async function makeKey(scopes: string[], rateLimitPerMinute = 120) {
  const made = await call('/api/admin/api-keys', { method: 'POST', user: OWNER, body: { name: `key ${scopes.join(' ')}`, scopes, rateLimitPerMinute } })
  expect(made.status).toBe(201)
  return made.body as { key: { id: number; prefix: string }; token: string }
}

beforeAll(async () => {
  receiver = await startFakeWebhookReceiver()
  ;({ fake, app } = await startWebhookApp({
    secret: SECRET,
    env: {
      PUBLIC_URL,
      SESSION_SECRET: 'partner-api-session-secret-'.padEnd(48, 'x'),
      ADMIN_TELEGRAM_IDS: String(OWNER.id),
      DEMO_DATA: '1',
      PARTNER_TIMEOUT_MS: '2000',
      // The receiver is on this machine: production refuses that unless told otherwise.
      WEBHOOKS_ALLOW_PRIVATE: '1',
    },
  }))
  for (const user of [OWNER, CUSTOMER]) expect((await call('/api/me', { user })).status).toBe(200)
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await receiver?.close().catch(() => {})
  await fake?.close()
})

describe('webhooks and the partner API end to end', () => {
  it('sends a placed order to the webhook through the queue, signed, with the event id as idempotency key', async () => {
    expect((await call('/api/admin/webhooks', { method: 'POST', user: CUSTOMER, body: { name: 'x', url: receiver.url, events: ['order.created'] } })).status).toBe(403)
    const created = await call('/api/admin/webhooks', { method: 'POST', user: OWNER, body: { name: 'Our CRM', url: receiver.url, events: ['order.created', 'stock.changed'] } })
    expect(created.status).toBe(201)
    receiver.useSecrets([created.body.secret])
    expect(JSON.stringify((await call('/api/admin/webhooks', { user: OWNER })).body)).not.toContain(created.body.secret)
    const order = await placeOrder()
    const got = await eventually(() => receiver.accepted.find((w) => w.type === 'order.created' && JSON.parse(w.body).data.orderId === order.id), 30_000, 200)
    expect(got).toMatchObject({ verified: true, idempotencyKey: got!.id })
    expect(JSON.parse(got!.body)).toMatchObject({ aggregate: { type: 'order', id: String(order.id) }, data: { number: order.number, status: 'new' } })
  })

  it('enforces scopes, keeps writes idempotent, revokes at once and limits each key', async () => {
    const reader = await makeKey(['orders:read', 'orders:write'])
    const stock = await makeKey(['stock:write'])
    expect(reader.token).toMatch(/^tmak_/)
    const listed = await call('/api/admin/api-keys', { user: OWNER })
    expect(JSON.stringify(listed.body)).not.toContain(reader.token)

    expect(await call('/api/v1/orders')).toMatchObject({ status: 401, body: { code: 'api_key_invalid' } })
    expect(await call('/api/v1/orders', { key: 'tmak_not-a-real-key' })).toMatchObject({ status: 401, body: { code: 'api_key_invalid' } })
    expect(await call('/api/v1/orders', { key: stock.token })).toMatchObject({ status: 403, body: { code: 'api_scope_missing', details: { required: 'orders:read' } } })
    const orders = await call('/api/v1/orders?status=new', { key: reader.token })
    expect(orders.status).toBe(200)
    const order = orders.body.items[0]
    expect(order).toMatchObject({ status: 'new', customerTelegramId: CUSTOMER.id })
    expect((await call(`/api/v1/orders/${order.id}`, { key: reader.token })).body.allowedStatuses).toContain('in_progress')

    // An order's status: only allowed transitions; Idempotency-Key required; a replay changes nothing twice.
    const path = `/api/v1/orders/${order.id}/status`
    expect(await call(path, { method: 'POST', key: reader.token, body: { status: 'in_progress' } })).toMatchObject({ status: 400, body: { code: 'validation_failed' } })
    expect(await call(path, { method: 'POST', key: reader.token, body: { status: 'done' }, headers: { 'idempotency-key': 'order-status-bad-1' } })).toMatchObject({ status: 409, body: { code: 'invalid_transition' } })
    const moved = await call(path, { method: 'POST', key: reader.token, body: { status: 'in_progress' }, headers: { 'idempotency-key': 'order-status-0001' } })
    expect(moved).toMatchObject({ status: 200, body: { status: 'in_progress' } })
    const again = await call(path, { method: 'POST', key: reader.token, body: { status: 'in_progress' }, headers: { 'idempotency-key': 'order-status-0001' } })
    expect(again.status).toBe(200)
    expect(again.body).toEqual(moved.body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await call(path, { method: 'POST', key: reader.token, body: { status: 'ready' }, headers: { 'idempotency-key': 'order-status-0001' } })).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } })

    // Stock by SKU: the same body again is the same answer; another body with that key is 422.
    const body = { items: [{ sku: 'croissant', stock: 41 }] }
    const first = await call('/api/v1/stock', { method: 'POST', key: stock.token, body, headers: { 'idempotency-key': 'stock-sync-0001' } })
    expect(first).toMatchObject({ status: 200, body: { items: [{ sku: 'croissant', to: 41, changed: true }] } })
    expect((await call('/api/catalog/products/croissant')).body.stock).toBe(41)
    const repeat = await call('/api/v1/stock', { method: 'POST', key: stock.token, body, headers: { 'idempotency-key': 'stock-sync-0001' } })
    expect(repeat.body).toEqual(first.body)
    expect(await call('/api/v1/stock', { method: 'POST', key: stock.token, body: { items: [{ sku: 'croissant', stock: 5 }] }, headers: { 'idempotency-key': 'stock-sync-0001' } })).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } })
    expect((await call('/api/catalog/products/croissant')).body.stock).toBe(41)
    expect(await call('/api/v1/stock', { method: 'POST', key: stock.token, body: { items: [{ sku: 'no-such-thing', stock: 1 }] }, headers: { 'idempotency-key': 'stock-sync-0002' } })).toMatchObject({ status: 400, body: { code: 'validation_failed' } })
    // The stock change went to the webhook as well.
    await eventually(() => receiver.accepted.find((w) => w.type === 'stock.changed' && JSON.parse(w.body).data.to === 41), 30_000, 200)

    // Last used is shown; a revoked key is refused at once.
    const keyRow = (await call('/api/admin/api-keys', { user: OWNER })).body.keys.find((k: { id: number }) => k.id === stock.key.id)
    expect(keyRow.lastUsedAt).not.toBeNull()
    expect((await call(`/api/admin/api-keys/${stock.key.id}/revoke`, { method: 'POST', user: OWNER })).status).toBe(200)
    expect(await call('/api/v1/stock', { method: 'POST', key: stock.token, body, headers: { 'idempotency-key': 'stock-sync-0003' } })).toMatchObject({ status: 401, body: { code: 'api_key_revoked' } })

    // Each key has its own limit per minute.
    const limited = await makeKey(['bookings:read'], 3)
    for (let i = 0; i < 3; i++) expect((await call('/api/v1/bookings', { key: limited.token })).status).toBe(200)
    const over = await call('/api/v1/bookings', { key: limited.token })
    expect(over).toMatchObject({ status: 429, body: { code: 'rate_limited' } })
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await call('/api/v1/orders', { key: reader.token })).status).toBe(200) // another key is not affected
  })

  it('retries a receiver that was down through the queue, and shows webhooks, their log and a new key once in /admin (phone)', async () => {
    await receiver.down()
    const order = await placeOrder()
    const hooks = async () => (await call('/api/admin/webhooks', { user: OWNER })).body.webhooks[0]
    // The first attempt failed (its error recorded, not merely under way) and pg-boss holds the retry (about 10 s away, with jitter).
    const failed = await eventually(async () => (await call('/api/admin/integrations/deliveries?connector=webhook&status=pending', { user: OWNER })).body.items.find((d: { attempts: number; lastError: string | null }) => d.attempts >= 1 && d.lastError), 30_000, 300)
    expect(failed.lastError).toMatch(/cannot connect/)
    await receiver.up()
    await eventually(async () => ((await call(`/api/admin/integrations/deliveries/${failed.id}`, { user: OWNER })).body.status === 'delivered' ? true : undefined), 60_000, 500)
    expect(receiver.countsById().get(failed.eventId)).toBe(1)
    expect(receiver.accepted.some((w) => JSON.parse(w.body).data.orderId === order.id)).toBe(true)
    expect((await hooks()).deliveries).toMatchObject({ dead: 0, held: 0 })

    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true })).newPage()
    await page.goto(await adminLinkFromBot({ appUrl: app.url, fake, secret: SECRET, publicUrl: PUBLIC_URL }, OWNER))
    await page.waitForURL(/\/admin(\/)?$/)
    await page.goto(`${app.url}/admin/webhooks`)
    await page.locator('[data-webhook]').first().waitFor()
    await page.locator('[data-testid="deliveries-table"] tbody tr').first().waitFor()
    await expectAdminScreen(page, 'webhooks-phone')
    await page.getByRole('button', { name: 'Make key' }).waitFor()
    await page.getByLabel('Name').last().fill('Warehouse')
    await page.getByRole('button', { name: 'Make key' }).click()
    await adminToast(page, 'Key made')
    await page.getByTestId('shown-once').waitFor()
    expect(await page.getByTestId('secret-value').innerText()).toMatch(/^tmak_/)
    await expectAdminScreen(page, 'webhooks-key-once')
    await page.context().close()
  }, 120_000)
})
