import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { startBotApp, type BotApp } from '../helpers/bot-app'
import { eventually } from '../helpers/eventually'
import { launchBrowser, screenshot } from '../helpers/browser'
import type { InitUser } from '../helpers/telegram-users'
import { adminToast, expectAdminScreen } from '../helpers/admin'

/**
 * The /admin payments screens in Debian Chromium: payments made through the real webhook against the
 * fake Bot API (a card payment, a second payment of the same order that gets flagged, a Stars
 * payment), then the list with filters, the detail with Telegram's payload, refunds (a Stars refund
 * retried after a lost connection, a partial card refund), the reports with charts and CSV, and a
 * manager who may read payments but not refund them.
 */
const OWNER: InitUser = { id: 881_000_001, first_name: 'Алексей', last_name: 'Зернов', language_code: 'en' }
const MANAGER: InitUser = { id: 881_000_003, first_name: 'Ольга', last_name: 'Менеджер', language_code: 'en' }
const CUSTOMER = { id: 881_000_002, first_name: 'Мария', last_name: 'Котова', language_code: 'ru', is_bot: false as const }

let bot: BotApp
let fake: FakeBotApi
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page
const pageErrors: string[] = []
type Order = { id: number; number: string; totalMinor: number; currency: string }
let cardOrder: Order
let starsOrder: Order
const cardCharge = () => `card-${cardOrder.id}`
const secondCharge = () => `second-${cardOrder.id}`
const starsCharge = () => `stars-${starsOrder.id}`

const api: BotApp['api'] = (path, init) => bot.api(path, init)
const deliver = async (update: unknown) => {
  const res = await bot.deliver(update)
  expect(res.status).toBe(200)
}

/** The customer orders one product for pickup, paying in Telegram, and gets the invoice. */
async function orderForPayment(slug: string): Promise<Order> {
  const product = (await api(`/api/catalog/products/${slug}`)).body
  expect((await api('/api/cart/items', { method: 'POST', user: CUSTOMER, body: { productId: product.id, quantity: 1 } })).status).toBe(200)
  const options = (await api('/api/checkout/options', { user: CUSTOMER })).body
  const order = await api('/api/orders', {
    method: 'POST',
    user: CUSTOMER,
    headers: { 'idempotency-key': `pay-ui-${slug}-${Date.now()}` },
    body: { delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария Котова', phone: '+7 900 555-12-34' }, paymentMethod: 'telegram' },
  })
  expect(order.status).toBe(201)
  expect((await api(`/api/orders/${order.body.id}/invoice`, { method: 'POST', user: CUSTOMER })).status).toBe(200)
  return order.body
}

/** Telegram's pre-checkout, then successful_payment for `order` with `charge`, through the webhook. */
async function pay(order: Order, charge: string) {
  const query = fake.updates.preCheckoutQuery(CUSTOMER, { currency: order.currency, total_amount: order.totalMinor, invoice_payload: `order:${order.id}` })
  await deliver(query)
  await fake.waitFor('answerPreCheckoutQuery', (p) => p.pre_checkout_query_id === query.pre_checkout_query.id, 10_000)
  if (order.currency === 'XTR') fake.recordStarPayment(CUSTOMER.id, charge, order.totalMinor)
  await deliver(fake.updates.successfulPayment(CUSTOMER, { currency: order.currency, total_amount: order.totalMinor, invoice_payload: `order:${order.id}`, telegram_payment_charge_id: charge, provider_payment_charge_id: order.currency === 'XTR' ? '' : `prov-${charge}` }))
  return eventually(async () => (await api(`/api/admin/payments?q=${charge}`, { user: OWNER })).body.items?.[0], 15_000)
}

/** Sends /admin to the bot as `user` and returns the one-time sign-in link, pointed at the local app. */
const askBotForAdminLink = (user: InitUser) => bot.adminLink(user)

const checkScreen = expectAdminScreen

const toast = (text: string | RegExp) => adminToast(page, text)
const rows = () => page.locator('[data-testid="payments-table"] tbody tr')

beforeAll(async () => {
  bot = await startBotApp('admin-payments', { env: { PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500', ADMIN_TELEGRAM_IDS: String(OWNER.id) } })
  ;({ fake, app } = bot)
  for (const user of [OWNER, MANAGER, CUSTOMER]) expect((await api('/api/me', { user })).status).toBe(200)
  expect((await api(`/api/admin/users/${MANAGER.id}/roles`, { method: 'POST', user: OWNER, body: { role: 'manager' } })).status).toBe(200)
  const stars = await api('/api/admin/catalog/products', {
    method: 'POST',
    user: OWNER,
    body: { slug: 'online-cupping', categoryId: 1, name: { ru: 'Онлайн-каппинг', en: 'Online cupping' }, description: { ru: 'Запись урока', en: 'Recorded lesson' }, priceMinor: 250, currency: 'XTR', stock: 100 },
  })
  expect(stars.status).toBe(201)

  cardOrder = await orderForPayment('ethiopia-yirgacheffe')
  await pay(cardOrder, cardCharge())
  // The same order paid a second time: kept, and flagged for the operator.
  await pay(cardOrder, secondCharge())
  starsOrder = await orderForPayment('online-cupping')
  expect(starsOrder).toMatchObject({ currency: 'XTR', totalMinor: 250 })
  await pay(starsOrder, starsCharge())

  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US', acceptDownloads: true })
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await bot?.stop()
})

describe('payments API for the screens', () => {
  it('searches by order number or charge id, and names each payment’s order', async () => {
    const byNumber = (await api(`/api/admin/payments?q=${encodeURIComponent(cardOrder.number.toLowerCase())}`, { user: OWNER })).body.items
    expect(byNumber.map((p: { telegramPaymentChargeId: string }) => p.telegramPaymentChargeId).sort()).toEqual([cardCharge(), secondCharge()].sort())
    expect(byNumber[0]).toMatchObject({ orderId: cardOrder.id, orderNumber: cardOrder.number })
    const byProviderCharge = (await api(`/api/admin/payments?q=prov-${cardCharge()}`, { user: OWNER })).body.items
    expect(byProviderCharge).toHaveLength(1)
    expect((await api('/api/admin/payments?q=nothing-like-this', { user: OWNER })).body.items).toEqual([])
    const detail = (await api(`/api/admin/payments/${byProviderCharge[0].id}`, { user: OWNER })).body
    expect(detail.order).toMatchObject({ id: cardOrder.id, number: cardOrder.number, status: 'paid', contactName: 'Мария Котова' })
    expect(detail.raw).toMatchObject({ telegram_payment_charge_id: cardCharge() })
  })
})

describe('/admin payments in the browser', () => {
  it('the dashboard counts the flagged payment and links to it', async () => {
    await page.goto(await askBotForAdminLink(OWNER))
    await page.waitForURL(`${app.url}/admin`)
    await expect.poll(() => page.getByTestId('flagged-payments').textContent(), { timeout: 15_000 }).toContain('1')
    await checkScreen(page, 'dashboard-payments')
    await page.getByTestId('flagged-payments').click()
    await page.waitForURL(/\/admin\/payments\?.*flagged=1/)
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBe(1)
    expect(await rows().first().getByTestId('payment-flag').textContent()).toContain('Needs review')
    expect(await rows().first().textContent()).toContain(secondCharge())
  })

  it('lists payments with filters: method, search by charge id, and links to the order', async () => {
    await page.getByRole('link', { name: 'Payments', exact: true }).click()
    await page.waitForURL(`${app.url}/admin/payments`)
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3)
    const starsRow = page.locator('tr', { hasText: starsCharge() })
    expect(await starsRow.textContent()).toContain('250 ⭐')
    expect(await page.locator('tr', { hasText: `prov-${cardCharge()}` }).count()).toBe(0) // provider ids are on the detail, not the list
    expect(await page.locator('tr', { hasText: cardCharge() }).first().textContent()).toMatch(/RUB|₽/)
    await checkScreen(page, 'payments')

    await page.selectOption('select[name="provider"]', 'telegram_stars')
    await page.waitForURL(/provider=telegram_stars/)
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1)
    expect(await rows().first().textContent()).toContain(starsCharge())
    await page.getByRole('button', { name: 'Reset' }).click()
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3)

    await page.fill('input[name="q"]', cardCharge())
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.waitForURL(/q=card-/)
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1)
    await rows().first().getByRole('link', { name: cardOrder.number }).click()
    await page.waitForURL(`${app.url}/admin/orders/${cardOrder.id}`)
    // And back: the order links to its payments.
    await page.getByRole('link', { name: 'Payments for this order' }).click()
    await page.waitForURL(/\/admin\/payments\?q=/)
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2)
  })

  it('shows a Stars payment with Telegram’s payload, and refunds it once even after a lost connection', async () => {
    await page.goto(`${app.url}/admin/payments?q=${starsCharge()}`)
    await page.locator('tr', { hasText: starsCharge() }).getByRole('link', { name: /Payment #/ }).click()
    await page.waitForURL(/\/admin\/payments\/\d+$/)
    const paymentId = Number(page.url().split('/').pop())
    await page.getByTestId('raw-payload').waitFor()
    expect(await page.getByTestId('raw-payload').textContent()).toContain(`"telegram_payment_charge_id": "${starsCharge()}"`)
    expect(await page.getByTestId('payment-amount').textContent()).toBe('250 ⭐')
    expect(await page.getByRole('link', { name: `Order ${starsOrder.number}` }).getAttribute('href')).toBe(`/admin/orders/${starsOrder.id}`)
    await checkScreen(page, 'payment')

    await page.getByTestId('refund-open').click()
    const dialog = page.locator('dialog[open]').first()
    await dialog.getByText('refunded in full only').waitFor()
    expect(await dialog.locator('input[name="amount"]').count()).toBe(0)
    await dialog.getByTestId('refund-submit').click()
    await dialog.getByText('Write a reason').waitFor()
    await dialog.locator('textarea[name="reason"]').fill('Урок перенесли')
    await checkScreen(page, 'payment-refund')

    // First Telegram refuses: the operator reads why, and the next attempt is a new request (new key).
    const keys: string[] = []
    await page.route('**/api/admin/payments/*/refund', async (route) => {
      keys.push(route.request().headers()['idempotency-key']!)
      await route.continue()
    })
    fake.failNext('refundStarPayment', { error_code: 400, description: 'Bad Request: BALANCE_TOO_LOW' })
    await dialog.getByTestId('refund-submit').click()
    await page.getByTestId('confirm-ok').click()
    await dialog.getByTestId('refund-error').getByText('The refund did not go through (Telegram refused the refund: Bad Request: BALANCE_TOO_LOW)').waitFor()
    await page.getByTestId('refunds-table').locator('tr[data-refund-status="failed"]').waitFor()
    await page.unrouteAll()

    // Then the attempt reaches the server but its answer is lost on the way back.
    await page.route('**/api/admin/payments/*/refund', async (route) => {
      keys.push(route.request().headers()['idempotency-key']!)
      await route.fetch()
      await route.abort('internetdisconnected')
    })
    await dialog.getByTestId('refund-submit').click()
    await page.getByTestId('confirm-ok').click()
    await page.getByTestId('refund-network').waitFor()
    await page.unrouteAll()
    await page.route('**/api/admin/payments/*/refund', async (route) => {
      keys.push(route.request().headers()['idempotency-key']!)
      await route.continue()
    })
    await dialog.getByRole('button', { name: 'Retry refund' }).click()
    await page.getByTestId('confirm-ok').click()
    await toast('Refunded: 250 ⭐')
    await page.unrouteAll()
    expect(keys).toHaveLength(3)
    expect(keys[1]).not.toBe(keys[0])
    expect(keys[2]).toBe(keys[1])

    await expect.poll(() => page.getByTestId('payment-status').first().textContent()).toBe('Refunded')
    expect(await page.getByTestId('refunds-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-refund-status')))).toEqual(['failed', 'succeeded'])
    expect(await page.getByTestId('refunds-table').textContent()).toContain('Урок перенесли')
    // Who refunded, by name.
    expect(await page.getByTestId('refunds-table').textContent()).toContain('Алексей Зернов')
    expect(await page.getByTestId('refund-open').count()).toBe(0)
    // Telegram was asked twice: the refused call and the one refund; the retry after the lost answer asked nothing.
    expect(fake.callsOf('refundStarPayment').filter((c) => c.params.telegram_payment_charge_id === starsCharge())).toHaveLength(2)
    const stored = (await api(`/api/admin/payments/${paymentId}`, { user: OWNER })).body
    expect(stored).toMatchObject({ status: 'refunded', refundedMinor: 250 })
    expect(stored.refunds.map((r: { status: string }) => r.status)).toEqual(['failed', 'succeeded'])
    await checkScreen(page, 'payment-refunded')
  })

  it('records part of a card refund with the provider’s reference', async () => {
    await page.goto(`${app.url}/admin/payments?q=${cardCharge()}`)
    await page.locator('tr', { hasText: cardCharge() }).getByRole('link', { name: /Payment #/ }).click()
    await page.getByTestId('refund-open').click()
    const dialog = page.locator('dialog[open]').first()
    expect(await dialog.locator('input[name="amount"]').inputValue()).toBe(String(cardOrder.totalMinor / 100))
    await dialog.locator('input[name="amount"]').fill('100')
    await dialog.locator('textarea[name="reason"]').fill('Нет в наличии')
    await dialog.getByTestId('refund-submit').click()
    await dialog.getByText("Enter the provider's refund reference", { exact: true }).waitFor()
    await dialog.locator('input[name="providerReference"]').fill('RF-UI-1')
    await dialog.getByTestId('refund-submit').click()
    await page.getByTestId('confirm-ok').click()
    await toast(/Refunded: .*100/)
    await expect.poll(() => page.getByTestId('payment-status').first().textContent()).toBe('Partly refunded')
    expect(await page.getByTestId('refunds-table').textContent()).toContain('RF-UI-1')
  })

  it('reports revenue and counts per day and method as charts, with totals and a CSV download', async () => {
    await page.getByRole('link', { name: 'Payment reports', exact: true }).click()
    await page.waitForURL(`${app.url}/admin/payments/reports`)
    await page.getByTestId('report-totals').waitFor()
    expect(await page.getByTestId('report-totals').locator('tr[data-currency="XTR"]').textContent()).toMatch(/1\s*250 ⭐\s*1\s*250 ⭐\s*0 ⭐/)
    const rub = await page.getByTestId('report-totals').locator('tr[data-currency="RUB"]').textContent()
    expect(rub).toContain('2')
    const bars = page.locator('[data-testid="chart-revenue-RUB"] [data-testid="chart-bar"]')
    const values = (await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))).filter((v) => v > 0)
    expect(values).toEqual(expect.arrayContaining([cardOrder.totalMinor * 2, 10_000]))
    expect((await page.locator('[data-testid="chart-counts"] [data-testid="chart-bar"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))).filter((v) => v > 0).sort()).toEqual([1, 2])
    // The same numbers as a table for screen readers.
    expect(await page.locator('[data-testid="chart-counts"] table th[scope="col"]').allTextContents()).toEqual(['Day', 'Card (payment provider)', 'Telegram Stars'])
    await page.getByTestId('reconciliation').getByText('has not run yet').waitFor()

    // "Check now": our books agree with Telegram's Star transactions (the refund included).
    await page.getByTestId('reconcile-run').click()
    await page.getByTestId('reconcile-ok').waitFor()
    // Telegram failing is said in words, and stores nothing.
    fake.failNext('getStarTransactions', { error_code: 500, description: 'Internal Server Error' })
    await page.getByTestId('reconcile-run').click()
    await page.getByTestId('reconciliation').getByText('Telegram did not answer').waitFor()
    // A Stars payment Telegram has and we don't is listed as a difference.
    fake.recordStarPayment(CUSTOMER.id, 'stars-unknown-to-us', 75)
    await page.getByTestId('reconcile-run').click()
    const differences = page.getByTestId('reconcile-differences')
    await differences.waitFor()
    expect(await differences.textContent()).toContain('stars-unknown-to-us')
    expect(await differences.textContent()).toContain('75 ⭐')
    expect((await api('/api/admin/payments/reconciliations', { user: OWNER })).body.items).toHaveLength(2)
    await checkScreen(page, 'payment-reports')
    await page.getByTestId('reconciliation').scrollIntoViewIfNeeded()
    await screenshot(page, 'admin-payment-reports-more')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
    expect(download.suggestedFilename()).toMatch(/^payments-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split('\r\n')[0]).toContain('telegram_payment_charge_id')
    for (const charge of [cardCharge(), secondCharge(), starsCharge()]) expect(csv).toContain(charge)

    // The same screens in Russian: Stars with their plural, nothing left untranslated.
    await page.getByLabel('Language').selectOption('ru')
    await page.getByRole('heading', { name: 'Отчёты по платежам' }).waitFor()
    expect(await page.getByTestId('report-totals').locator('tr[data-currency="XTR"]').textContent()).toContain('250 ⭐')
    await checkScreen(page, 'payment-reports-ru')
    await page.getByRole('link', { name: 'Платежи', exact: true }).click()
    await page.locator('tr', { hasText: starsCharge() }).getByText('Возвращён').waitFor()
    await checkScreen(page, 'payments-ru')
    await page.getByLabel('Язык').selectOption('en')
    expect(pageErrors).toEqual([])
  })
})

describe('a manager (payments.read without payments.refund)', () => {
  it('sees payments and their payload, but no refund button', async () => {
    const managerContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })
    const manager = await managerContext.newPage()
    try {
      await manager.goto(await askBotForAdminLink(MANAGER))
      await manager.waitForURL(`${app.url}/admin`)
      await manager.getByRole('link', { name: 'Payments', exact: true }).click()
      await manager.locator('tr', { hasText: secondCharge() }).getByRole('link', { name: /Payment #/ }).click()
      await manager.getByTestId('raw-payload').waitFor()
      expect(await manager.getByTestId('raw-payload').textContent()).toContain(secondCharge())
      await manager.getByTestId('flag-note').getByText('second payment').waitFor()
      expect(await manager.getByTestId('refund-open').count()).toBe(0)
      await checkScreen(manager, 'payment-manager')
    } finally {
      await managerContext.close()
    }
  })
})
