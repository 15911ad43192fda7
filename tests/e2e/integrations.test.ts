import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { metricsHeaders, type RunningApp } from '../helpers/app'
import { startWebhookApp } from '../helpers/webhook-app'
import { launchBrowser } from '../helpers/browser'
import { eventually } from '../helpers/eventually'
import { startFakeBitrix24, startFakeGeocoder, startFakeMoySklad } from '../helpers/fake-partners'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'
import { adminLinkFromBot, adminToast, expectAdminScreen } from '../helpers/admin'

/**
 * Integrations against the built app and fake partners on local ports: an order placed through the
 * real checkout becomes a Bitrix24 deal through the queue's own workers; a partner that renames a
 * field holds the delivery and warns the owner in /admin and in the chat (once); the owner replays
 * it from /admin with no second deal; MoySklad's webhook is refused without its secret.
 */
const SECRET = 'integrations-webhook-secret-0123456789'
const WAREHOUSE_SECRET = 'warehouse-webhook-secret-0123456789'
const PUBLIC_URL = 'https://shop.example.com'
const OWNER: InitUser = { id: 883_000_001, first_name: 'Алексей', last_name: 'Зернов', language_code: 'en' }
const CUSTOMER: InitUser = { id: 883_000_002, first_name: 'Мария', last_name: 'Котова', language_code: 'ru' }

let fake: FakeBotApi
let crm: Awaited<ReturnType<typeof startFakeBitrix24>>
let warehouse: Awaited<ReturnType<typeof startFakeMoySklad>>
let maps: Awaited<ReturnType<typeof startFakeGeocoder>>
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page
const pageErrors: string[] = []

const api = async (path: string, init: { method?: string; user?: InitUser; body?: unknown; headers?: Record<string, string> } = {}) => {
  const res = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: await res.json() }
}

async function placeOrder() {
  const product = (await api('/api/catalog/products/croissant')).body
  expect((await api('/api/cart/items', { method: 'POST', user: CUSTOMER, body: { productId: product.id, quantity: 1 } })).status).toBe(200)
  const options = (await api('/api/checkout/options', { user: CUSTOMER })).body
  const checkout = { delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария Котова', phone: '+7 900 555-12-34' }, paymentMethod: 'cash_on_delivery' }
  const order = await api('/api/orders', { method: 'POST', user: CUSTOMER, body: checkout, headers: { 'idempotency-key': `integrations-${Date.now()}` } })
  expect(order.status).toBe(201)
  return order.body as { id: number; number: string }
}
const dealsOf = (orderId: number) => crm.deals.filter((d) => d.ORIGIN_ID === `order-${orderId}`)
const crmHealth = async () => (await api('/api/admin/integrations', { user: OWNER })).body.connectors.find((c: { connector: string }) => c.connector === 'crm')

beforeAll(async () => {
  crm = await startFakeBitrix24()
  warehouse = await startFakeMoySklad()
  maps = await startFakeGeocoder()
  maps.places.set('Маросейка 2', { lon: 37.6331, lat: 55.7572, postalCode: '101000', city: 'Москва', street: 'улица Маросейка', house: '2' })
  warehouse.items.push({ id: 'ms-croissant', name: 'Круассан', externalCode: 'croissant', stock: 33 })
  ;({ fake, app } = await startWebhookApp({
    secret: SECRET,
    env: {
      PUBLIC_URL,
      SESSION_SECRET: 'integrations-session-secret-'.padEnd(48, 'x'),
      ADMIN_TELEGRAM_IDS: String(OWNER.id),
      DEMO_DATA: '1',
      BITRIX24_WEBHOOK_URL: crm.webhookUrl,
      MOYSKLAD_TOKEN: warehouse.token,
      MOYSKLAD_API_URL: warehouse.apiUrl,
      MOYSKLAD_WEBHOOK_SECRET: WAREHOUSE_SECRET,
      YANDEX_GEOCODER_API_KEY: maps.apiKey,
      YANDEX_GEOCODER_URL: maps.apiUrl,
      PARTNER_TIMEOUT_MS: '2000',
    },
  }))
  for (const user of [OWNER, CUSTOMER]) expect((await api('/api/me', { user })).status).toBe(200)
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await crm?.close()
  await warehouse?.close()
  await maps?.close()
  await fake?.close()
})

describe('integrations end to end', () => {
  it('turns a placed order into one Bitrix24 deal through the queue, and never shows a partner secret', async () => {
    const order = await placeOrder()
    await eventually(() => dealsOf(order.id).length === 1 || undefined, 30_000, 200)
    expect(dealsOf(order.id)[0]).toMatchObject({ STAGE_ID: 'NEW', TITLE: `Order ${order.number}` })
    const health = await api('/api/admin/integrations', { user: OWNER })
    expect(health.status).toBe(200)
    expect(JSON.stringify(health.body)).not.toContain('s3cr3tc0de')
    expect(JSON.stringify(health.body)).not.toContain(warehouse.token)
    expect((await api('/api/admin/integrations', { user: CUSTOMER })).status).toBe(403)
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
    expect(metrics).toMatch(/integration_deliveries\{connector="crm",status="delivered"\} 1/)
    expect(metrics).toMatch(/integration_connector_degraded\{connector="crm"\} 0/)
  })

  it('holds a delivery whose answer broke the contract and warns the owner once', async () => {
    crm.plan['crm.deal.add'] = ['renamed']
    const order = await placeOrder()
    const health = await eventually(async () => ((await crmHealth()).state === 'degraded' ? crmHealth() : undefined), 30_000, 200)
    expect(health.deliveries.held).toBe(1)
    expect(health.warning).toMatch(/result/)
    const held = (await api('/api/admin/integrations/deliveries?status=held', { user: OWNER })).body.items
    expect(held).toEqual([expect.objectContaining({ eventType: 'order.created', aggregateId: String(order.id), contractIssues: [expect.objectContaining({ path: 'result' })] })])
    const alerts = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === OWNER.id && String(c.params.text).includes('the partner changed its format'))
    await eventually(() => alerts().length === 1 || undefined, 30_000, 200)
  })

  it('refuses a MoySklad webhook without its secret, accepts it with it', async () => {
    const payload = { events: [{ meta: { type: 'product', href: `${warehouse.apiUrl}/entity/product/x` }, action: 'UPDATE', accountId: 'acc' }] }
    const wrong = await api('/api/integrations/moysklad/webhook?secret=nope', { method: 'POST', body: payload })
    expect(wrong).toMatchObject({ status: 401, body: { code: 'integration_webhook_unauthorized' } })
    const right = await api(`/api/integrations/moysklad/webhook?secret=${WAREHOUSE_SECRET}`, { method: 'POST', body: payload })
    expect(right).toMatchObject({ status: 202, body: { accepted: true } })
    const odd = await api(`/api/integrations/moysklad/webhook?secret=${WAREHOUSE_SECRET}`, { method: 'POST', body: { event: 'renamed' } })
    expect(odd).toMatchObject({ status: 202, body: { accepted: false } })
  })

  for (const size of [{ name: 'phone', width: 390, height: 844 }, { name: 'desktop', width: 1440, height: 900 }] as const) {
    it(`shows the warning and replays the held delivery from /admin (${size.name})`, async () => {
      context = await browser.newContext({ viewport: { width: size.width, height: size.height }, locale: 'en-US', isMobile: size.name === 'phone', hasTouch: size.name === 'phone' })
      page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(error.message))
      await page.goto(await adminLinkFromBot({ appUrl: app.url, fake, secret: SECRET, publicUrl: PUBLIC_URL }, OWNER))
      await page.waitForURL(/\/admin(\/)?$/)
      await page.goto(`${app.url}/admin/integrations`)
      await page.locator('[data-testid="deliveries-table"] tbody tr').first().waitFor()
      if (size.name === 'phone') {
        await page.locator('[data-connector="crm"] [data-testid="partner-changed"]').waitFor()
        await expectAdminScreen(page, 'integrations-phone')
      } else {
        await expectAdminScreen(page, 'integrations-desktop')
        const row = page.locator('[data-testid="deliveries-table"] tr.stuck').first()
        const orderId = Number(await row.locator('small').first().innerText().then((s) => /order (\d+)/.exec(s)?.[1]))
        await row.getByRole('button', { name: 'Send again' }).click()
        await adminToast(page, 'Queued to send again')
        await eventually(async () => ((await crmHealth()).deliveries.held === 0 && (await crmHealth()).state === 'ok') || undefined, 30_000, 300)
        expect(dealsOf(orderId)).toHaveLength(1) // the deal the renamed answer hid is found, not added again
        await page.getByRole('button', { name: 'Refresh' }).click()
        await page.locator('[data-connector="crm"] .adm-badge', { hasText: 'Working' }).waitFor()
        await expectAdminScreen(page, 'integrations-desktop-after-replay')

        // The warehouse: a dry run first, then the import.
        await page.getByRole('button', { name: 'Check what would change' }).click()
        await page.getByTestId('stock-diff').locator('tbody tr').first().waitFor()
        expect(await page.getByTestId('warehouse-sync').innerText()).toContain('First import')
        await expectAdminScreen(page, 'integrations-stock-diff')
        await page.getByRole('button', { name: 'Import stock' }).click()
        await page.getByTestId('confirm-ok').click()
        await adminToast(page, /products changed: 1/)
        const croissant = (await api('/api/catalog/products/croissant')).body
        expect(croissant.stock).toBeLessThanOrEqual(33)

        // An address on the map and its delivery zone.
        await page.getByTestId('address-check').getByLabel('Address').fill('Маросейка 2')
        await page.getByTestId('address-check').getByRole('button', { name: 'Find' }).click()
        await page.getByTestId('address-check').getByText('Россия, Москва, улица Маросейка, 2').waitFor()
        expect(await page.getByTestId('address-check').innerText()).toMatch(/Centre/)
        await expectAdminScreen(page, 'integrations-address')
      }
      await context.close()
      expect(pageErrors).toEqual([])
    }, 120_000)
  }
})
