import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { apiClient, startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import { eventually } from '../helpers/eventually'
import type { InitUser } from '../helpers/telegram-users'

/**
 * Catalog, cart, checkout and orders through the HTTP API of the built app, as the Mini App and
 * an operator use them; chat messages land in the fake Bot API.
 */
let fake: FakeBotApi
let app: RunningApp
const maria: InitUser = { id: 5550001, first_name: 'Мария', language_code: 'ru', allows_write_to_pm: true }
const owner: InitUser = { id: 5550099, first_name: 'Алексей', language_code: 'ru' }

const api = apiClient(() => ({ app, fake }))

beforeAll(async () => {
  ;({ fake, app } = await startWebhookApp({ secret: 'commerce-secret-0123456789', env: { PUBLIC_URL: 'https://shop.example.com', PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500', ADMIN_TELEGRAM_IDS: String(owner.id) } }))
})
afterAll(() => stopWebhookApp({ app, fake }))

describe('catalog API', () => {
  it('lists, filters and searches products without signing in', async () => {
    const all = await api('/api/catalog/products?limit=5')
    expect(all.status).toBe(200)
    expect(all.body.items).toHaveLength(5)
    expect(all.body.nextCursor).toEqual(expect.any(String))
    expect(all.body.items[0]).not.toHaveProperty('search')
    const next = await api(`/api/catalog/products?limit=5&cursor=${all.body.nextCursor}`)
    expect(next.body.items[0].slug).not.toBe(all.body.items[0].slug)

    const found = await api(`/api/catalog/products?q=${encodeURIComponent('сырники')}`)
    expect(found.body.items.map((p: { slug: string }) => p.slug)).toEqual(['syrniki'])
    const typo = await api(`/api/catalog/products?q=${encodeURIComponent('капучно')}`)
    expect(typo.body.items.map((p: { slug: string }) => p.slug)).toContain('cappuccino')
    const product = await api('/api/catalog/products/cappuccino')
    expect(product.body).toMatchObject({ slug: 'cappuccino', priceMinor: 22000, currency: 'RUB', name: { ru: 'Капучино', en: 'Cappuccino' } })
    expect(product.body.options.map((o: { key: string }) => o.key)).toEqual(['milk', 'size'])
  })

  it('answers bad queries with a 400 naming the field, and unknown products with 404', async () => {
    const bad = await api('/api/catalog/products?limit=500&sort=cheapest')
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('validation_failed')
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['limit', 'sort'])
    expect((await api('/api/catalog/products/no-such-thing')).status).toBe(404)
    expect((await api('/api/catalog/products/%3Cscript%3E')).status).toBe(400)
  })

  it('publishes a sitemap with every product and a robots.txt', async () => {
    const sitemap = await api('/sitemap.xml')
    expect(sitemap.headers.get('content-type')).toContain('application/xml')
    expect(sitemap.body).toContain('<loc>https://shop.example.com/product/cappuccino</loc>')
    expect(sitemap.body).toContain('<loc>https://shop.example.com/catalog/coffee</loc>')
    expect(sitemap.body).not.toContain('cinnamon-roll-hidden')
    const robots = await api('/robots.txt')
    expect(robots.body).toContain('Sitemap: https://shop.example.com/sitemap.xml')
    expect(robots.body).toContain('Disallow: /admin')
  })
})

describe('cart and checkout', () => {
  it('refuses the cart without valid initData', async () => {
    expect((await api('/api/cart')).status).toBe(401)
    expect((await api('/api/cart', { headers: { authorization: 'tma user=%7B%7D&hash=00' } })).body.code).toBe('auth_malformed')
  })

  it('keeps the cart on the server, priced by the server, and places an order once per Idempotency-Key', async () => {
    const product = (await api('/api/catalog/products/cappuccino')).body
    const added = await api('/api/cart/items', { method: 'POST', user: maria, body: JSON.stringify({ productId: product.id, options: { milk: 'oat' }, quantity: 3, unitPriceMinor: 1, totalMinor: 1 }) })
    expect(added.status).toBe(200)
    expect(added.body.lines[0]).toMatchObject({ quantity: 3, unitPriceMinor: 28000, totalMinor: 84000 })
    expect(added.body.itemsTotalMinor).toBe(84000)

    const options = await api('/api/checkout/options', { user: maria })
    expect(options.body.paymentMethods).toEqual(['telegram', 'cash_on_delivery', 'card_on_delivery'])
    const pickup = options.body.pickupPoints[0]
    const zone = options.body.deliveryZones[0]
    const quote = await api('/api/checkout/quote', { method: 'POST', user: maria, body: JSON.stringify({ delivery: { method: 'courier', zoneId: zone.id, address: { text: 'ул. Маросейка, 2' } } }) })
    expect(quote.body).toMatchObject({ deliveryMinor: zone.priceMinor, totalMinor: 84000 + zone.priceMinor })

    const checkout = { delivery: { method: 'pickup', pickupPointId: pickup.id }, contact: { name: 'Мария', phone: '+7 900 123-45-67' }, paymentMethod: 'cash_on_delivery', totalMinor: 100 }
    const noKey = await api('/api/orders', { method: 'POST', user: maria, body: JSON.stringify(checkout) })
    expect(noKey.status).toBe(400)
    expect(noKey.body.details[0].path).toBe('Idempotency-Key')

    const headers = { 'idempotency-key': 'order-attempt-0001' }
    const first = await api('/api/orders', { method: 'POST', user: maria, headers, body: JSON.stringify(checkout) })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ status: 'new', totalMinor: 84000, paymentMethod: 'cash_on_delivery' })
    const retry = await api('/api/orders', { method: 'POST', user: maria, headers, body: JSON.stringify(checkout) })
    expect(retry.status).toBe(200)
    expect(retry.body.id).toBe(first.body.id)
    expect((await api('/api/orders', { user: maria })).body.items).toHaveLength(1)

    // The confirmation reaches the chat through the queue.
    const sent = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === maria.id, 15_000)
    expect(String(sent.params.text)).toContain(first.body.number)
    expect(String(sent.params.text)).toMatch(/840\s?₽/)
  })

  it('lets an operator move the order, with a note, audited, and tells the customer', async () => {
    const [order] = (await api('/api/orders', { user: maria })).body.items
    const forbidden = await api(`/api/admin/orders/${order.id}/status`, { method: 'POST', user: maria, body: JSON.stringify({ status: 'in_progress' }) })
    expect(forbidden.status).toBe(403)
    const moved = await api(`/api/admin/orders/${order.id}/status`, { method: 'POST', user: owner, body: JSON.stringify({ status: 'in_progress', note: 'Бариста начал' }) })
    expect(moved.status).toBe(200)
    expect(moved.body.history.map((h: { to: string }) => h.to)).toEqual(['new', 'in_progress'])
    const illegal = await api(`/api/admin/orders/${order.id}/status`, { method: 'POST', user: owner, body: JSON.stringify({ status: 'paid' }) })
    expect(illegal.status).toBe(409)
    expect(illegal.body.code).toBe('invalid_transition')
    const audit = await api('/api/admin/audit?action=order.status', { user: owner })
    expect(audit.body.items[0]).toMatchObject({ action: 'order.status', entityId: String(order.id) })
    await eventually(() => fake.callsOf('sendMessage').some((c) => Number(c.params.chat_id) === maria.id && String(c.params.text).includes('Готовим')), 15_000)
    const listed = await api(`/api/admin/orders?status=in_progress&from=2020-01-01&to=2100-01-01&q=${encodeURIComponent('9001234567')}`, { user: owner })
    expect(listed.body.items.map((o: { id: number }) => o.id)).toEqual([order.id])
  })
})
