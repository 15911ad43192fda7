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
const deliver = (update: unknown) => fake.postUpdate(`${app.url}/api/telegram/webhook`, SECRET, update)

/** A customer orders products (slug -> quantity) for pickup (or another delivery), paying in Telegram; returns the order and its invoice. */
async function orderAndInvoice(user: InitUser, lines: Record<string, number> = { 'ethiopia-yirgacheffe': 1 }, delivery?: Record<string, unknown>) {
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
    body: JSON.stringify({ delivery: delivery ?? { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'telegram' }),
  })
  expect(order.status).toBe(201)
  const invoice = await api(`/api/orders/${order.body.id}/invoice`, { method: 'POST', user })
  expect(invoice.status).toBe(200)
  return { order: order.body, invoice: invoice.body }
}

async function preCheckout(user: InitUser & { is_bot: false }, payload: { currency: string; total_amount: number; invoice_payload: string; [extra: string]: unknown }) {
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

  it('answers in the webhook response itself, which Telegram runs; a redelivery is answered again and stored once', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    const updatesNow = async () => (await api('/api/admin/system', { user: owner })).body.updates as { pending: number; processing: number; done: number; failed: number }
    const before = await updatesNow()
    const update = fake.updates.preCheckoutQuery(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
    const answer = { method: 'answerPreCheckoutQuery', pre_checkout_query_id: update.pre_checkout_query.id, ok: true }
    for (let delivery = 0; delivery < 2; delivery++) {
      const res = await deliver(update)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect(await res.json()).toEqual(answer)
    }
    const calls = fake.callsOf('answerPreCheckoutQuery').filter((c) => c.params.pre_checkout_query_id === update.pre_checkout_query.id)
    expect(calls.map((c) => c.via)).toEqual(['webhook_reply', 'webhook_reply'])
    // Stored once, as handled: nothing left for the bot's queue to do with it.
    expect(await updatesNow()).toEqual({ ...before, done: before.done + 1 })
    const refusal = fake.updates.preCheckoutQuery({ ...maria, language_code: 'en' }, { currency: 'RUB', total_amount: 1, invoice_payload: `order:${order.id}` })
    expect(await (await deliver(refusal)).json()).toEqual({ method: 'answerPreCheckoutQuery', pre_checkout_query_id: refusal.pre_checkout_query.id, ok: false, error_message: 'The amount has changed. Open the payment from the app again.' })
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
    // Replayed again once the charge is recorded: answered from the stored charge, nothing changes.
    expect((await Promise.all([1, 2, 3].map(() => deliver({ ...update, update_id: fake.nextUpdateId() })))).map((r) => r.status)).toEqual([200, 200, 200])
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

  it('keeps a payment made by someone other than the order\'s customer, flags it, leaves the order unpaid and alerts', async () => {
    const maria = newCustomer()
    const stranger = newCustomer()
    const { order } = await orderAndInvoice(maria)
    // Pre-checkout refuses the stranger; a successful_payment from them anyway (forged or replayed) must not pay Maria's order.
    await deliver(paymentUpdate(stranger, order, `stranger-${order.id}`))
    const flagged = await eventually(async () => {
      const list = await api(`/api/admin/payments?orderId=${order.id}&flagged=true`, { user: owner })
      return list.body.items.length === 1 ? list.body.items[0] : false
    }, 15_000)
    expect(flagged).toMatchObject({ flag: 'wrong_user', userId: stranger.id })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body.status).toBe('awaiting_payment')
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === owner.id && String(p.text).includes(`Платёж №${flagged.id}`) && String(p.text).includes('другой покупатель'), 15_000)
  })

  it('lets staff cancel an order paid in Telegram only through a refund', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria)
    await preCheckout(maria, { currency: 'RUB', total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
    await deliver(paymentUpdate(maria, order, `paid-cancel-${order.id}`))
    await eventually(async () => (await api(`/api/orders/${order.id}`, { user: maria })).body.status === 'paid', 15_000)
    const started = await api(`/api/admin/orders/${order.id}/status`, { method: 'POST', user: owner, body: JSON.stringify({ status: 'in_progress' }) })
    expect(started.body.allowedStatuses).not.toContain('cancelled')
    const cancelled = await api(`/api/admin/orders/${order.id}/status`, { method: 'POST', user: owner, body: JSON.stringify({ status: 'cancelled' }) })
    expect(cancelled).toMatchObject({ status: 409, body: { code: 'refund_required' } })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body).toMatchObject({ status: 'in_progress', canCancel: false })
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
    // The customer hears of the partial refund in their language, once.
    const partialMessages = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === maria.id && /Мы вернули 100\s₽ по заказу/.test(String(c.params.text)))
    await eventually(() => partialMessages().length === 1, 15_000)
    const again = await refund({ 'idempotency-key': 'refund-card-0003' }, { reason: 'Нет круассана', amountMinor: 10000, providerReference: 'RF-1' })
    expect(again.status).toBe(200)
    expect(again.body.payment.refundedMinor).toBe(10000)
    const rest = await refund({ 'idempotency-key': 'refund-card-0004' }, { reason: 'Отмена', providerReference: 'RF-2' })
    expect(rest.body.payment).toMatchObject({ status: 'refunded', refundedMinor: order.totalMinor })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body.status).toBe('refunded')
    // The rest closes the order: its "refunded" message tells the customer (and the partial one is not repeated).
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === maria.id && String(p.text).includes('оформлен возврат'), 15_000)
    expect(partialMessages()).toHaveLength(1)
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
    // Days are the business's days (Moscow), whatever the clock of the machine asking: today there is the last day,
    // and every payment falls on a day of the axis.
    const moscowToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
    expect(report.body).toMatchObject({ to: moscowToday, timezone: 'Europe/Moscow' })
    expect(report.body.dayList).toHaveLength(30)
    expect(report.body.days.every((d: { day: string }) => report.body.dayList.includes(d.day))).toBe(true)
    expect((await api(`/api/admin/payments/report?from=${moscowToday}&to=2020-01-01`, { user: owner })).body.code).toBe('validation_failed')
    const csv = await fetch(`${app.url}/api/admin/payments/export.csv`, { headers: tmaHeaders(owner, fake.token) })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect((await csv.text()).split('\r\n')[0]).toContain('telegram_payment_charge_id')
  })
})

describe("shipping address in Telegram's payment form", () => {
  const centre = { country_code: 'RU', state: '', city: 'Москва', street_line1: 'ул. Покровка, 17', street_line2: 'кв. 5', post_code: '101000' }
  const moscow = { country_code: 'RU', state: '', city: 'москва', street_line1: 'Дербеневская наб., 7', street_line2: '', post_code: '115114' }
  const piter = { country_code: 'RU', state: '', city: 'Санкт-Петербург', street_line1: 'Невский пр., 1', street_line2: '', post_code: '191186' }
  const telegramShipping = { method: 'telegram_shipping' }

  async function shippingQuery(user: InitUser & { is_bot: false }, orderId: number, address: typeof centre) {
    const update = fake.updates.shippingQuery(user, { invoice_payload: `order:${orderId}`, shipping_address: address })
    expect((await deliver(update)).status).toBe(200)
    const answer = await fake.waitFor('answerShippingQuery', (p) => p.shipping_query_id === update.shipping_query.id, 10_000)
    return { update, answer: answer.params as { ok: boolean; shipping_options?: { id: string; title: string; prices: { label: string; amount: number }[] }[]; error_message?: string } }
  }
  const zoneOption = async (slug: string) => {
    const zone = (await api('/api/checkout/options', { user: owner })).body.deliveryZones.find((z: { slug: string }) => z.slug === slug)
    return `zone-${zone.id}`
  }

  it('is offered at checkout; the order has no address yet and its invoice asks Telegram for one', async () => {
    const maria = newCustomer()
    expect((await api('/api/checkout/options', { user: maria })).body.telegramShipping).toBe(true)
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    expect(order).toMatchObject({ status: 'awaiting_payment', deliveryMethod: 'telegram_shipping', address: null, deliveryMinor: 0, totalMinor: 129000 })
    const created = fake.callsOf('createInvoiceLink').at(-1)!.params
    expect(created).toMatchObject({ payload: `order:${order.id}`, need_shipping_address: true, is_flexible: true })
    // Not with payment on delivery, and never for Telegram Stars.
    const product = (await api('/api/catalog/products/brazil-cerrado')).body
    await api('/api/cart/items', { method: 'POST', user: maria, body: JSON.stringify({ productId: product.id, quantity: 1 }) })
    const onDelivery = await api('/api/orders', { method: 'POST', user: maria, headers: { 'idempotency-key': `cod-${maria.id}` }, body: JSON.stringify({ delivery: telegramShipping, contact: { name: 'Мария', phone: '+79001234567' }, paymentMethod: 'cash_on_delivery' }) })
    expect(onDelivery).toMatchObject({ status: 409, body: { code: 'delivery_method_unavailable' } })
  })

  it('answers shipping_query with options priced from the zones for the address, free from the threshold', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const inCentre = await shippingQuery(maria, order.id, centre)
    expect(inCentre.answer.ok).toBe(true)
    expect(inCentre.answer.shipping_options).toEqual([{ id: await zoneOption('center'), title: expect.stringContaining('Центр'), prices: [{ label: 'Доставка', amount: 19000 }] }])
    // Elsewhere in Moscow (the city matches, the central post codes do not): the Third Ring zone.
    const inMoscow = await shippingQuery(maria, order.id, moscow)
    expect(inMoscow.answer.shipping_options).toEqual([expect.objectContaining({ id: await zoneOption('ttk'), prices: [{ label: 'Доставка', amount: 29000 }] })])
    // 2 x 1 290 ₽ = 2 580 ₽: over both free-delivery thresholds.
    const sasha = newCustomer()
    const big = await orderAndInvoice(sasha, { 'ethiopia-yirgacheffe': 2 }, telegramShipping)
    const free = await shippingQuery(sasha, big.order.id, centre)
    expect(free.answer.shipping_options![0]!.prices).toEqual([{ label: 'Доставка бесплатно', amount: 0 }])
  })

  it('refuses in words, in the customer language, outside all zones and below a zone minimum', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const outside = await shippingQuery(maria, order.id, piter)
    expect(outside.answer).toMatchObject({ ok: false, error_message: expect.stringContaining('не доставляем') })
    const emma = { ...newCustomer(), first_name: 'Emma', language_code: 'en' }
    const small = await orderAndInvoice(emma, { croissant: 1 }, telegramShipping)
    const below = await shippingQuery(emma, small.order.id, centre)
    expect(below.answer).toMatchObject({ ok: false, error_message: expect.stringMatching(/starts from .*500/) })
    // Somebody else's invoice, or a pickup order: no options either.
    expect((await shippingQuery(newCustomer(), order.id, centre)).answer.ok).toBe(false)
    const pickup = await orderAndInvoice(maria)
    expect((await shippingQuery(maria, pickup.order.id, centre)).answer.ok).toBe(false)
  })

  it('a repeated shipping_query update is answered once; a new query for the same address gets the same options', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const update = fake.updates.shippingQuery(maria, { invoice_payload: `order:${order.id}`, shipping_address: centre })
    const answers = await Promise.all([deliver(update), deliver(update)])
    expect(answers.map((r) => r.status)).toEqual([200, 200])
    const first = await fake.waitFor('answerShippingQuery', (p) => p.shipping_query_id === update.shipping_query.id, 10_000)
    await new Promise((r) => setTimeout(r, 1000))
    expect(fake.callsOf('answerShippingQuery').filter((c) => c.params.shipping_query_id === update.shipping_query.id)).toHaveLength(1)
    const again = await shippingQuery(maria, order.id, centre)
    expect(again.answer.shipping_options).toEqual(first.params.shipping_options)
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body).toMatchObject({ status: 'awaiting_payment', totalMinor: 129000, address: null })
  })

  it('pre-checkout re-prices the chosen option for the address and refuses a tampered total or option', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const centreOption = await zoneOption('center')
    const base = { currency: 'RUB', invoice_payload: `order:${order.id}`, order_info: { shipping_address: centre } }
    // Without the delivery price, with no option, with an option not offered for this address, with another address.
    expect(await preCheckout(maria, { ...base, total_amount: 129000, shipping_option_id: centreOption })).toMatchObject({ ok: false, error_message: expect.stringContaining('Сумма изменилась') })
    expect(await preCheckout(maria, { ...base, total_amount: 148000 })).toMatchObject({ ok: false, error_message: expect.stringContaining('способ доставки недоступен') })
    expect((await preCheckout(maria, { ...base, total_amount: 158000, shipping_option_id: await zoneOption('ttk') })).ok).toBe(false)
    expect((await preCheckout(maria, { ...base, total_amount: 148000, shipping_option_id: centreOption, order_info: { shipping_address: piter } })).ok).toBe(false)
    expect((await preCheckout(maria, { ...base, total_amount: 148000, shipping_option_id: 'zone-999999' })).ok).toBe(false)
    expect(await preCheckout(maria, { ...base, total_amount: 148000, shipping_option_id: centreOption })).toMatchObject({ ok: true })
  })

  it('the payment stores the address, the option and the delivery price on the order; the operator sees the address', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const centreOption = await zoneOption('center')
    const paid = { currency: 'RUB', total_amount: 148000, invoice_payload: `order:${order.id}`, shipping_option_id: centreOption, order_info: { shipping_address: centre } }
    expect((await preCheckout(maria, paid)).ok).toBe(true)
    const update = fake.updates.successfulPayment(maria, { ...paid, telegram_payment_charge_id: `ship-${order.id}`, provider_payment_charge_id: `prov-ship-${order.id}` })
    await Promise.all([deliver(update), deliver(update)])
    const detail = await eventually(async () => {
      const res = await api(`/api/orders/${order.id}`, { user: maria })
      return res.body.status === 'paid' ? res.body : false
    }, 15_000)
    expect(detail).toMatchObject({ itemsTotalMinor: 129000, deliveryMinor: 19000, totalMinor: 148000, shippingOptionId: centreOption, shippingAddress: centre, address: { text: 'ул. Покровка, 17, кв. 5, Москва, 101000, RU' } })
    const admin = await api(`/api/admin/orders/${order.id}`, { user: owner })
    expect(admin.body).toMatchObject({ status: 'paid', deliveryMethod: 'telegram_shipping', totalMinor: 148000, shippingAddress: centre, address: { text: expect.stringContaining('Покровка') } })
    const payments = await api(`/api/admin/payments?orderId=${order.id}`, { user: owner })
    expect(payments.body.items).toHaveLength(1)
    expect(payments.body.items[0]).toMatchObject({ amountMinor: 148000, flag: null })
  })

  it('a payment whose total does not match the order plus the chosen option is kept and flagged, the order stays unpaid', async () => {
    const maria = newCustomer()
    const { order } = await orderAndInvoice(maria, { 'ethiopia-yirgacheffe': 1 }, telegramShipping)
    const paid = { currency: 'RUB', total_amount: 129000, invoice_payload: `order:${order.id}`, shipping_option_id: await zoneOption('center'), order_info: { shipping_address: centre } }
    await deliver(fake.updates.successfulPayment(maria, { ...paid, telegram_payment_charge_id: `short-${order.id}`, provider_payment_charge_id: 'prov-short' }))
    const flagged = await eventually(async () => (await api(`/api/admin/payments?orderId=${order.id}&flagged=true`, { user: owner })).body.items[0], 15_000)
    expect(flagged).toMatchObject({ flag: 'amount_mismatch', amountMinor: 129000 })
    expect((await api(`/api/orders/${order.id}`, { user: maria })).body).toMatchObject({ status: 'awaiting_payment', address: null })
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
