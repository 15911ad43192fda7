import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, openPostgres } from '../../server/db/client'
import { storeUpdate } from '../../server/services/telegram/updates'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * Telegram Payments through the real webhook route against the fake Bot API: invoice, pre-checkout,
 * success exactly once, second payments flagged, refunds, and recovery after a crash.
 */
const SECRET = 'payments-secret-0123456789'
let fake: FakeBotApi
let app: RunningApp
let env: Record<string, string>
const owner: InitUser = { id: 6660099, first_name: 'Алексей', language_code: 'ru' }
let nextUser = 6660001
const newCustomer = (): InitUser & { is_bot: false } => ({ id: nextUser++, first_name: 'Мария', language_code: 'ru', is_bot: false })

const api = async (path: string, init: RequestInit & { user?: InitUser } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...(init.headers as Record<string, string>) }
  const res = await fetch(`${app.url}${path}`, { ...init, headers })
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() }
}
const deliver = (update: unknown) => fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })

/** A customer orders products (slug -> quantity) for pickup, paying in Telegram; returns the order and its invoice. */
async function orderAndInvoice(user: InitUser, lines: Record<string, number> = { 'ethiopia-yirgacheffe': 1 }) {
  for (const [slug, quantity] of Object.entries(lines)) {
    const product = (await api(`/api/catalog/products/${slug}`)).body
    const added = await api('/api/cart/items', { method: 'POST', user, body: JSON.stringify({ productId: product.id, quantity }) })
    expect(added.status).toBe(200)
  }
  const options = (await api('/api/checkout/options', { user })).body
  const order = await api('/api/orders', {
    method: 'POST',
    user,
    headers: { 'idempotency-key': `pay-${user.id}-${Date.now()}` },
    body: JSON.stringify({ delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'telegram' }),
  })
  expect(order.status).toBe(201)
  const invoice = await api(`/api/orders/${order.body.id}/invoice`, { method: 'POST', user })
  expect(invoice.status).toBe(200)
  return { order: order.body, invoice: invoice.body }
}

async function preCheckout(user: InitUser & { is_bot: false }, payload: { currency: string; total_amount: number; invoice_payload: string }) {
  const update = fake.updates.preCheckoutQuery(user, payload)
  expect((await deliver(update)).status).toBe(200)
  const answer = await fake.waitFor('answerPreCheckoutQuery', (p) => p.pre_checkout_query_id === update.pre_checkout_query.id, 10_000)
  return answer.params as { ok: boolean; error_message?: string }
}

const paymentUpdate = (user: InitUser & { is_bot: false }, order: { id: number; totalMinor: number; currency: string }, charge: string) =>
  fake.updates.successfulPayment(user, { currency: order.currency, total_amount: order.totalMinor, invoice_payload: `order:${order.id}`, telegram_payment_charge_id: charge, provider_payment_charge_id: `prov-${charge}` })

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
  env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_UPDATES: 'webhook',
    PUBLIC_URL: 'https://shop.example.com',
    SESSION_SECRET: 'p'.repeat(40),
    PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500',
    ADMIN_TELEGRAM_IDS: String(owner.id),
  }
  app = await startApp({ env })
  // The owner signs in once so that the bot knows whom to alert.
  expect((await api('/api/me', { user: owner })).status).toBe(200)
})
afterAll(async () => {
  await app?.stop()
  await fake?.close()
})

describe('invoice and pre-checkout', () => {
  it('creates an invoice priced from the order, with the order reference as payload', async () => {
    const maria = newCustomer()
    const { order, invoice } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 2 })
    expect(order).toMatchObject({ status: 'awaiting_payment', totalMinor: 258000 })
    const created = fake.callsOf('createInvoiceLink').at(-1)!.params as { payload: string; currency: string; prices: { amount: number }[]; provider_token: string }
    expect(created).toMatchObject({ payload: `order:${order.id}`, currency: 'RUB', provider_token: '381764678:TEST:100500' })
    expect(created.prices.reduce((s, p) => s + p.amount, 0)).toBe(258000)
    expect(invoice.link).toMatch(/^https:\/\/t\.me\/\$/)
    // Somebody else's order: no invoice.
    expect((await api(`/api/orders/${order.id}/invoice`, { method: 'POST', user: newCustomer() })).status).toBe(404)
  })

  it('refuses a wrong amount, a wrong currency, another customer and an unknown order at pre-checkout, with a reason', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    const payload = `order:${order.id}`
    const wrongAmount = await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor - 100, invoice_payload: payload })
    expect(wrongAmount).toMatchObject({ ok: false, error_message: expect.stringContaining('Сумма изменилась') })
    expect((await preCheckout(maria, { currency: 'USD', total_amount: order.totalMinor, invoice_payload: payload })).ok).toBe(false)
    expect((await preCheckout(newCustomer(), { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: payload })).ok).toBe(false)
    expect((await preCheckout(maria, { currency: 'RUB', total_amount: 100, invoice_payload: 'order:999999' })).ok).toBe(false)
    expect(await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: payload })).toMatchObject({ ok: true })
  })

  it('refuses an order whose payment window has closed', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    await api(`/api/orders/${order.id}/cancel`, { method: 'POST', user: maria })
    const answer = await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
    expect(answer).toMatchObject({ ok: false, error_message: expect.stringContaining('уже оплачен или отменён') })
  })
})

describe('successful payment', () => {
  it('marks the order paid once, confirms in the chat once, even when the update arrives twice at the same time', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    expect((await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })).ok).toBe(true)
    const update = paymentUpdate(maria, order, `charge-${order.id}`)
    // The same update twice at once, and the same payment again under a new update_id (a replay).
    const replay = { ...update, update_id: fake.nextUpdateId() }
    const answers = await Promise.all([deliver(update), deliver(update), deliver(replay)])
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    await eventually(async () => (await api(`/api/orders/${order.id}`, { user: maria })).body.status === 'paid', 15_000)
    const confirmations = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === maria.id && String(c.params.text).includes('оплачен'))
    await eventually(() => confirmations().length === 1, 15_000)
    await new Promise((r) => setTimeout(r, 2000))
    expect(confirmations()).toHaveLength(1)
    const listed = await api(`/api/admin/payments?orderId=${order.id}`, { user: owner })
    expect(listed.body.items).toHaveLength(1)
    expect(listed.body.items[0]).toMatchObject({ amountMinor: order.totalMinor, status: 'succeeded', flag: null })
    const detail = await api(`/api/orders/${order.id}`, { user: maria })
    expect(detail.body.history.map((h: { to: string }) => h.to)).toEqual(['awaiting_payment', 'paid'])
  })

  it('keeps a second payment of a paid order, flags it for the operator and tells both sides', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
    await deliver(paymentUpdate(maria, order, `first-${order.id}`))
    await eventually(async () => (await api(`/api/orders/${order.id}`, { user: maria })).body.status === 'paid', 15_000)
    await deliver(paymentUpdate(maria, order, `second-${order.id}`))
    const flagged = await eventually(async () => {
      const list = await api(`/api/admin/payments?orderId=${order.id}&flagged=true`, { user: owner })
      return list.body.items.length === 1 ? list.body.items[0] : false
    }, 15_000)
    expect(flagged).toMatchObject({ flag: 'order_already_paid', telegramPaymentChargeId: `second-${order.id}` })
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === owner.id && String(p.text).includes(`Платёж №${flagged.id}`), 15_000)
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === maria.id && String(p.text).includes('вернём'), 15_000)
  })
})

describe('refunds', () => {
  it('records a card refund with the provider reference; refunds the order once per Idempotency-Key', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
    await deliver(paymentUpdate(maria, order, `card-${order.id}`))
    const payment = await eventually(async () => (await api(`/api/admin/payments?orderId=${order.id}`, { user: owner })).body.items[0], 15_000)
    const refund = (headers: Record<string, string>, body: unknown) => api(`/api/admin/payments/${payment.id}/refund`, { method: 'POST', user: owner, headers, body: JSON.stringify(body) })
    expect((await refund({ 'idempotency-key': 'refund-card-0001' }, { reason: 'Клиент передумал' })).body.code).toBe('validation_failed')
    const forbidden = await api(`/api/admin/payments/${payment.id}/refund`, { method: 'POST', user: maria, headers: { 'idempotency-key': 'refund-card-0002' }, body: JSON.stringify({ reason: 'x' }) })
    expect(forbidden.status).toBe(403)
    const partial = await refund({ 'idempotency-key': 'refund-card-0003' }, { reason: 'Нет круассана', amountMinor: 10000, providerReference: 'RF-1' })
    expect(partial.status).toBe(201)
    expect(partial.body.payment).toMatchObject({ status: 'partially_refunded', refundedMinor: 10000 })
    const again = await refund({ 'idempotency-key': 'refund-card-0003' }, { reason: 'Нет круассана', amountMinor: 10000, providerReference: 'RF-1' })
    expect(again.status).toBe(200)
    expect(again.body.payment.refundedMinor).toBe(10000)
    const rest = await refund({ 'idempotency-key': 'refund-card-0004' }, { reason: 'Отмена', providerReference: 'RF-2' })
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedMinor: order.totalMinor })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body.status).toBe('refunded')
    const audit = await api('/api/admin/audit?action=payment.refund', { user: owner })
    expect(audit.body.items.filter((a: { entityId: string }) => a.entityId === String(payment.id))).toHaveLength(2)
  })

  it('refunds Telegram Stars through refundStarPayment, and the refunded_payment update changes nothing twice', async () => {
    const created = await api('/api/admin/catalog/products', {
      method: 'POST',
      user: owner,
      body: JSON.stringify({ slug: 'online-cupping', categoryId: 1, name: { ru: 'Онлайн-каппинг', en: 'Online cupping' }, description: { ru: 'Запись урока', en: 'Recorded lesson' }, priceMinor: 250, currency: 'XTR', stock: 100 }),
    })
    expect(created.status).toBe(201)
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'online-cupping': 1 })
    expect(order).toMatchObject({ currency: 'XTR', totalMinor: 250 })
    const invoiceCall = fake.callsOf('createInvoiceLink').at(-1)!.params as { currency: string; prices: unknown[]; provider_token?: string }
    expect(invoiceCall).toMatchObject({ currency: 'XTR', provider_token: '' })
    expect(invoiceCall.prices).toHaveLength(1)
    await preCheckout(maria, { currency: 'XTR', total_amount: 250, invoice_payload: `order:${order.id}` })
    const charge = `stars-${order.id}`
    fake.recordStarPayment(maria.id, charge, 250)
    await deliver(fake.updates.successfulPayment(maria, { currency: 'XTR', total_amount: 250, invoice_payload: `order:${order.id}`, telegram_payment_charge_id: charge, provider_payment_charge_id: '' }))
    const payment = await eventually(async () => (await api(`/api/admin/payments?orderId=${order.id}`, { user: owner })).body.items[0], 15_000)
    const partial = await api(`/api/admin/payments/${payment.id}/refund`, { method: 'POST', user: owner, headers: { 'idempotency-key': 'stars-refund-01' }, body: JSON.stringify({ reason: 'Перенос', amountMinor: 100 }) })
    expect(partial.body.code).toBe('partial_refund_unavailable')
    const refunded = await api(`/api/admin/payments/${payment.id}/refund`, { method: 'POST', user: owner, headers: { 'idempotency-key': 'stars-refund-02' }, body: JSON.stringify({ reason: 'Урок перенесли' }) })
    expect(refunded.status).toBe(201)
    expect(fake.callsOf('refundStarPayment').at(-1)!.params).toMatchObject({ user_id: maria.id, telegram_payment_charge_id: charge })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body.status).toBe('refunded')
    // Telegram then reports the refund; it is already in our books.
    await deliver(fake.updates.refundedPayment(maria, { currency: 'XTR', total_amount: 250, invoice_payload: `order:${order.id}`, telegram_payment_charge_id: charge }))
    await new Promise((r) => setTimeout(r, 1500))
    const detail = await api(`/api/admin/payments/${payment.id}`, { user: owner })
    expect(detail.body).toMatchObject({ status: 'refunded', refundedMinor: 250 })
    expect(detail.body.refunds).toHaveLength(1)
  })
})

describe('reports', () => {
  it('sums revenue and refunds per day and method, and exports CSV', async () => {
    const report = await api('/api/admin/payments/report', { user: owner })
    expect(report.status).toBe(200)
    expect(report.body.totals.RUB.payments).toBeGreaterThanOrEqual(4)
    expect(report.body.totals.RUB.refundedMinor).toBeGreaterThan(0)
    expect(report.body.days[0]).toMatchObject({ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), provider: expect.any(String) })
    const csv = await fetch(`${app.url}/api/admin/payments/export.csv`, { headers: tmaHeaders(owner, fake.token) })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect((await csv.text()).split('\r\n')[0]).toContain('telegram_payment_charge_id')
  })
})

describe('crash between storing a payment update and handling it', () => {
  it('applies the stored payment after a restart', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    // Stop the process only: keep its data dir / database for the restart.
    app.process.kill('SIGTERM')
    await app.exited
    const update = paymentUpdate(maria, order, `after-crash-${order.id}`)
    const db = engine === 'postgres' ? await openPostgres(app.databaseUrl!) : await openPglite({ dataDir: resolve(app.dataDir, 'pglite') })
    await storeUpdate(db.db, update)
    await db.close()
    app = await startApp({ env, dataDir: app.dataDir, databaseUrl: app.databaseUrl })
    await eventually(async () => (await api(`/api/orders/${order.id}`, { user: maria })).body.status === 'paid', 30_000)
  }, 180_000)
})
