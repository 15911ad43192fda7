import { request } from 'node:http'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { metricsHeaders, type RunningApp } from '../helpers/app'
import { apiClient, startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import { startEarlyInMinute } from '../helpers/rate-window'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * The doors a probe of the built app found, each closed, tested through HTTP against the real
 * server (a real bot token, Telegram played by the fake Bot API, one proxy hop in front).
 */
const SECRET = 'safety-secret-0123456789'
let fake: FakeBotApi
let app: RunningApp
const owner: InitUser = { id: 7770099, first_name: 'Алексей', language_code: 'ru' }
const maria: InitUser = { id: 7770001, first_name: 'Мария', language_code: 'ru', allows_write_to_pm: true }

const api = apiClient(() => ({ app, fake }))
const deliver = (update: unknown) => fake.postUpdate(`${app.url}/api/telegram/webhook`, SECRET, update)

beforeAll(async () => {
  ;({ fake, app } = await startWebhookApp({ secret: SECRET, env: { PUBLIC_URL: 'https://shop.example.com', ADMIN_TELEGRAM_IDS: String(owner.id), PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500', TRUST_PROXY: '1' } }))
  expect((await api('/api/me', { user: owner })).status).toBe(200)
})
afterAll(() => stopWebhookApp({ app, fake }))

describe('/metrics', () => {
  it('answers Prometheus only with the METRICS_TOKEN bearer (it names every admin route)', async () => {
    const none = await fetch(`${app.url}/metrics`)
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Bearer')
    expect(await none.json()).toMatchObject({ code: 'auth_missing' })
    const wrong = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token' } })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ code: 'auth_invalid_token' })
    const right = await fetch(`${app.url}/metrics`, { headers: metricsHeaders })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('http_request_duration_seconds')
  })
})

describe('TRUST_PROXY=1 (one load balancer in front)', () => {
  it('takes the address the proxy appended, so a client-set X-Forwarded-For cannot escape the sign-in limit', async () => {
    await startEarlyInMinute()
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      // The client sends a fresh fake address each time; the load balancer appends the real one.
      const res = await api('/api/auth/admin-link', { method: 'POST', headers: { 'x-forwarded-for': `10.9.${i}.1, 203.0.113.7` }, body: JSON.stringify({ token: 'x'.repeat(40) }) })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(10)).toEqual([429, 429])
    // Someone else behind the same proxy is not limited.
    expect((await api('/api/auth/admin-link', { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.4' }, body: JSON.stringify({ token: 'x'.repeat(40) }) })).status).toBe(401)
    const failures = await api('/api/admin/audit?action=auth.sign_in_failed', { user: owner })
    expect(new Set(failures.body.items.map((a: { ip: string }) => a.ip))).toEqual(new Set(['203.0.113.7', '198.51.100.4']))
  })
})

/**
 * Streams a chunked body (no Content-Length) of up to `total` bytes and stops as soon as the server
 * answers or closes: how much was sent by then shows whether the server read the whole body first.
 */
function streamChunked(path: string, total: number, headers: Record<string, string> = {}): Promise<{ status: number | null; sent: number; body: string }> {
  const url = new URL(path, app.url)
  return new Promise((resolveResult) => {
    let sent = 0
    let finished = false
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } })
    const done = (status: number | null, body = '') => {
      if (finished) return
      finished = true
      req.destroy()
      resolveResult({ status, sent, body })
    }
    req.on('response', (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => done(res.statusCode ?? null, body))
      res.on('error', () => done(res.statusCode ?? null, body))
    })
    req.on('error', () => setTimeout(() => done(null), 500))
    const pump = () => {
      while (!finished && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!finished) req.end()
    }
    pump()
  })
}

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.process.pid}/status`, 'utf8'))![1]) / 1024

describe('body limits on the bytes actually read', () => {
  it('refuses a declared Content-Length over the limit before reading it', async () => {
    const res = await api('/api/auth/admin-link', { method: 'POST', body: JSON.stringify({ token: 'x'.repeat(200 * 1024) }) })
    expect(res.status).toBe(413)
    expect(res.body).toMatchObject({ code: 'payload_too_large', details: { limit: 100 * 1024 } })
  })

  it('cuts off chunked bodies early on an anonymous route, the webhook, uploads and CSV import', async () => {
    const cases: [string, number, Record<string, string>][] = [
      ['/api/auth/admin-link', 100 * 1024, {}],
      ['/api/catalog/products', 100 * 1024, {}], // a GET route: no handler reads a POST body, the check still does
      ['/api/telegram/webhook', 1024 * 1024, { 'x-telegram-bot-api-secret-token': SECRET }],
      ['/api/admin/catalog/products/1/images', 5 * 1024 * 1024 + 64 * 1024, { ...tmaHeaders(owner, fake.token), 'content-type': 'multipart/form-data; boundary=x' }],
      ['/api/admin/catalog/products/import', 2 * 1024 * 1024, { ...tmaHeaders(owner, fake.token), 'content-type': 'text/csv' }],
    ]
    for (const [path, limit, headers] of cases) {
      const total = 64 * 1024 * 1024
      const result = await streamChunked(path, total, headers)
      expect(result.status, path).toBe(413)
      expect(JSON.parse(result.body), path).toMatchObject({ code: 'payload_too_large', details: { limit } })
      // Answered while the client was still sending, and the server stops reading a refused body
      // after 1 MB more: TCP pushes back, so the limit + ~6 MB of socket buffers went out, not 64 MB.
      expect(result.sent, path).toBeLessThan(total / 2)
    }
  })

  it('keeps memory flat under several huge chunked bodies at once', async () => {
    const before = rssMb()
    const results = await Promise.all(Array.from({ length: 6 }, () => streamChunked('/api/auth/admin-link', 100 * 1024 * 1024)))
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(413))
    // Reading them whole would take 600 MB; the cut-off keeps one limit (100 KB) per request.
    expect(rssMb() - before).toBeLessThan(100)
    expect((await api('/api/health')).status).toBe(200)
  })
})

describe('bad input is a 400 with a stable code, never a 500', () => {
  const nul = encodeURIComponent('\u0000')

  it('NUL in the search query (anonymous)', async () => {
    const res = await api(`/api/catalog/products?q=a${nul}b`)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'q' })] })
  })

  it('NUL in an order comment', async () => {
    const product = (await api('/api/catalog/products/americano')).body
    expect((await api('/api/cart/items', { method: 'POST', user: maria, body: JSON.stringify({ productId: product.id }) })).status).toBe(200)
    const options = (await api('/api/checkout/options', { user: maria })).body
    const res = await api('/api/orders', {
      method: 'POST',
      user: maria,
      headers: { 'idempotency-key': 'nul-comment-0001' },
      body: JSON.stringify({ delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'cash_on_delivery', comment: 'у двери\u0000' }),
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'comment' })] })
  })

  it('NUL in a webhook message text', async () => {
    const res = await deliver(fake.updates.message({ ...maria, is_bot: false }, 'привет\u0000'))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'validation_failed' })
  })

  it('ids and cursors beyond int4, and dates PostgreSQL cannot hold', async () => {
    const bigCursor = Buffer.from(JSON.stringify({ v: 1, id: 99_999_999_999 })).toString('base64url')
    const cases: [string, InitUser | undefined][] = [
      [`/api/catalog/products?cursor=${bigCursor}`, undefined],
      [`/api/catalog/products?sort=price_asc&cursor=${Buffer.from(JSON.stringify({ v: 1e300, id: 1 })).toString('base64url')}`, undefined],
      ['/api/orders/99999999999', maria],
      ['/api/admin/orders/99999999999', owner],
      ['/api/admin/orders?before=99999999999', owner],
      ['/api/admin/payments?before=99999999999', owner],
      ['/api/admin/orders?from=-200000-01-01', owner],
      ['/api/admin/payments?to=-200000-01-01', owner],
      ['/api/admin/payments/report?from=-200000-01-01', owner],
      ['/api/admin/audit?from=-200000-01-01', owner],
      ['/api/admin/audit?entityId=a%00b', owner],
    ]
    for (const [path, user] of cases) {
      const res = await api(path, { user })
      expect(res.status, path).toBe(400)
      expect(res.body.code, path).toBe('validation_failed')
    }
  })
})

describe('Telegram Stars and Idempotency-Key', () => {
  let starsOrder: { id: number; totalMinor: number; currency: string }
  const placeStarsOrder = (key: string, comment: string) =>
    api('/api/orders', { method: 'POST', user: maria, headers: { 'idempotency-key': key }, body: JSON.stringify({ delivery: { method: 'pickup', pickupPointId: 1 }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'telegram', comment }) })

  it('answers the same key with a different order 422 idempotency_key_reused, and a true retry with the same order', async () => {
    const created = await api('/api/admin/catalog/products', {
      method: 'POST',
      user: owner,
      body: JSON.stringify({ slug: 'stars-lesson', categoryId: 1, name: { ru: 'Урок за звёзды', en: 'Lesson for Stars' }, description: { ru: 'Запись', en: 'Recording' }, priceMinor: 250, currency: 'XTR', stock: 10 }),
    })
    expect(created.status).toBe(201)
    for (const line of (await api('/api/cart', { user: maria })).body.lines ?? []) await api(`/api/cart/items/${line.id}`, { method: 'DELETE', user: maria })
    expect((await api('/api/cart/items', { method: 'POST', user: maria, body: JSON.stringify({ productId: created.body.id }) })).status).toBe(200)
    const first = await placeStarsOrder('stars-order-0001', 'к уроку')
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    starsOrder = first.body
    expect(starsOrder).toMatchObject({ currency: 'XTR', totalMinor: 250 })
    const retry = await placeStarsOrder('stars-order-0001', 'к уроку')
    expect(retry.status).toBe(200)
    expect(retry.body.id).toBe(starsOrder.id)
    const reused = await placeStarsOrder('stars-order-0001', 'другой заказ')
    expect(reused.status).toBe(422)
    expect(reused.body.code).toBe('idempotency_key_reused')
  })

  it('tells the customer in the chat what a Stars order cost in Stars: "250 ⭐", never dollars or kopecks', async () => {
    const customer = { ...maria, is_bot: false as const }
    expect((await api(`/api/orders/${starsOrder.id}/invoice`, { method: 'POST', user: maria })).status).toBe(200)
    const pre = fake.updates.preCheckoutQuery(customer, { currency: 'XTR', total_amount: 250, invoice_payload: `order:${starsOrder.id}` })
    expect((await deliver(pre)).status).toBe(200)
    await fake.waitFor('answerPreCheckoutQuery', (p) => p.pre_checkout_query_id === pre.pre_checkout_query.id, 10_000)
    fake.recordStarPayment(maria.id, 'stars-charge-1', 250)
    expect((await deliver(fake.updates.successfulPayment(customer, { currency: 'XTR', total_amount: 250, invoice_payload: `order:${starsOrder.id}`, telegram_payment_charge_id: 'stars-charge-1', provider_payment_charge_id: '' }))).status).toBe(200)
    const paid = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === maria.id && String(p.text).includes('Оплата'), 20_000)
    const text = String(paid.params.text)
    expect(text).toContain('250 ⭐')
    expect(text).not.toMatch(/\$|2,50|2\.5|XTR/)
  })

  it('answers a refund key reused with another body 422, and its true retry without a second refund', async () => {
    const payment = await eventually(async () => (await api(`/api/admin/payments?orderId=${starsOrder.id}`, { user: owner })).body.items[0], 15_000)
    const refund = (reason: string, key = 'stars-refund-0001') => api(`/api/admin/payments/${payment.id}/refund`, { method: 'POST', user: owner, headers: { 'idempotency-key': key }, body: JSON.stringify({ reason }) })
    expect((await refund('Урок перенесли')).status).toBe(201)
    const reused = await refund('Другая причина')
    expect(reused.status).toBe(422)
    expect(reused.body.code).toBe('idempotency_key_reused')
    // The same key for another payment is another request too.
    const elsewhere = await api(`/api/admin/payments/${payment.id + 1000}/refund`, { method: 'POST', user: owner, headers: { 'idempotency-key': 'stars-refund-0001' }, body: JSON.stringify({ reason: 'Урок перенесли' }) })
    expect(elsewhere.body.code).toBe('idempotency_key_reused')
    const retry = await refund('Урок перенесли')
    expect(retry.status).toBe(200)
    expect(fake.callsOf('refundStarPayment')).toHaveLength(1)
  })
})
