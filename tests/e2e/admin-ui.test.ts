import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { startBotApp, type BotApp } from '../helpers/bot-app'
import { eventually } from '../helpers/eventually'
import { launchBrowser, plainText } from '../helpers/browser'
import type { InitUser } from '../helpers/telegram-users'
import { adminToast, expectAdminScreen } from '../helpers/admin'

/**
 * The /admin area in Debian Chromium against the built app and a fake Bot API: an owner asks the
 * bot for a one-time link, opens it, and works through orders, catalog, roles and the audit log.
 */
const OWNER: InitUser = { id: 880_000_001, first_name: 'Алексей', last_name: 'Зернов', username: 'owner_demo', language_code: 'en' }
const CUSTOMER: InitUser = { id: 880_000_002, first_name: 'Мария', last_name: 'Котова', language_code: 'ru', allows_write_to_pm: true }

let bot: BotApp
let fake: FakeBotApi
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page
let orderId: number
let orderNumber: string
const pageErrors: string[] = []

const api: BotApp['api'] = (path, init) => bot.api(path, init)

/** A customer order through the real cart and checkout, so the admin has something to work on. */
async function placeOrder() {
  const product = (await api('/api/catalog/products/cappuccino')).body
  expect((await api('/api/cart/items', { method: 'POST', user: CUSTOMER, body: { productId: product.id, options: { milk: 'oat' }, quantity: 2 } })).status).toBe(200)
  const options = (await api('/api/checkout/options', { user: CUSTOMER })).body
  const checkout = { delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария Котова', phone: '+7 900 555-12-34' }, paymentMethod: 'cash_on_delivery' }
  const order = await api('/api/orders', { method: 'POST', user: CUSTOMER, body: checkout, headers: { 'idempotency-key': `admin-ui-${Date.now()}` } })
  expect(order.status).toBe(201)
  return order.body as { id: number; number: string }
}

/** Sends /admin to the bot through the webhook as `user` and returns the sign-in link the bot answered with. */
const askBotForAdminLink = (user: InitUser) => bot.adminLink(user)

const checkScreen = (name: string) => expectAdminScreen(page, name)

const toast = (text: string | RegExp) => adminToast(page, text)

beforeAll(async () => {
  bot = await startBotApp('admin-ui', { env: { ADMIN_TELEGRAM_IDS: String(OWNER.id), PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500' } })
  ;({ fake, app } = bot)
  await api('/api/me', { user: OWNER })
  await api('/api/me', { user: CUSTOMER })
  ;({ id: orderId, number: orderNumber } = await placeOrder())
  // One hidden product, for the catalog table to mark.
  // (PATCH sends every field: the server's patch schema resets omitted ones to their defaults.)
  const filter = (await api('/api/admin/catalog/products', { user: OWNER })).body.items.find((p: { slug: string }) => p.slug === 'v60-filter')
  const { id: _id, slug: _slug, inStock: _inStock, stock: _stock, ...unchanged } = filter
  expect((await api(`/api/admin/catalog/products/${filter.id}`, { method: 'PATCH', user: OWNER, body: { ...unchanged, isActive: false } })).status).toBe(200)
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await bot?.stop()
})

describe('admin APIs the UI needed', () => {
  it('GET /api/admin/catalog/categories lists hidden categories too, with position and visibility', async () => {
    const created = await api('/api/admin/catalog/categories', { method: 'POST', user: OWNER, body: { slug: 'archive', name: { ru: 'Архив', en: 'Archive' }, isActive: false, position: 99 } })
    expect(created.status).toBe(201)
    const admin = (await api('/api/admin/catalog/categories', { user: OWNER })).body.items
    expect(admin.find((c: { slug: string }) => c.slug === 'archive')).toMatchObject({ id: created.body.id, isActive: false, position: 99, name: { en: 'Archive' } })
    expect(admin.find((c: { slug: string }) => c.slug === 'coffee')).toMatchObject({ isActive: true })
    const pub = (await api('/api/catalog/categories')).body.items
    expect(pub.map((c: { slug: string }) => c.slug)).not.toContain('archive')
    expect((await api('/api/admin/catalog/categories', { user: CUSTOMER })).status).toBe(403)
  })

  it('the admin order detail names the statuses the order may move to next', async () => {
    const detail = await api(`/api/admin/orders/${orderId}`, { user: OWNER })
    expect(detail.body).toMatchObject({ status: 'new', allowedStatuses: ['in_progress', 'cancelled'], customerTelegramId: CUSTOMER.id })
  })
})

describe('/admin in the browser', () => {
  it('explains how to sign in, refuses a used link, and signs in with a fresh one', async () => {
    await page.goto(`${app.url}/admin`)
    await page.waitForURL(/\/admin\/login/)
    await page.getByText('send /admin to the bot').waitFor()
    await checkScreen('login')

    const link = await askBotForAdminLink(OWNER)
    const token = new URL(link).searchParams.get('token')!
    expect((await api('/api/auth/admin-link', { method: 'POST', body: { token } })).status).toBe(200)
    await page.goto(link)
    await page.getByTestId('login-error').waitFor()
    expect(await page.getByTestId('login-error').textContent()).toContain('already used')
    expect(page.url()).not.toContain('token=')
    await checkScreen('login-used')

    await page.goto(await askBotForAdminLink(OWNER))
    await page.waitForURL(`${app.url}/admin`)
    await page.getByTestId('admin-user').waitFor()
    expect(await page.getByTestId('admin-user').textContent()).toContain('Алексей Зернов')
    await expect.poll(() => page.getByTestId('today-total').textContent(), { timeout: 15_000 }).toBe('1')
    for (const section of ['Orders', 'Catalog', 'Categories', 'Users & roles', 'Audit log']) await page.getByRole('link', { name: section, exact: true }).waitFor()
    await checkScreen('dashboard')
  })

  it('changes an order status with a note; it shows in the timeline and in the audit log', async () => {
    await page.getByRole('link', { name: 'Orders', exact: true }).click()
    await page.getByRole('link', { name: orderNumber }).waitFor()
    await page.fill('input[name="q"]', '5551234')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.waitForURL(/q=5551234/)
    await page.getByRole('link', { name: orderNumber }).waitFor()
    await checkScreen('orders')

    await page.getByRole('link', { name: orderNumber }).click()
    await page.waitForURL(`${app.url}/admin/orders/${orderId}`)
    await page.getByRole('heading', { name: `Order ${orderNumber}` }).waitFor()
    expect(await page.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:+79005551234')
    await page.fill('textarea[name="note"]', 'Бариста начал готовить')
    await page.click('button[data-status="in_progress"]')
    await toast('Status changed: In progress')
    await page.getByTestId('timeline').getByText('Бариста начал готовить').waitFor()
    expect(await page.getByTestId('order-status').textContent()).toBe('In progress')
    // A pickup order is ready for pickup next, never handed to a courier.
    expect(await page.locator('button[data-status]').evaluateAll((b) => b.map((x) => x.getAttribute('data-status')))).toEqual(['ready', 'cancelled'])
    await checkScreen('order')

    // Cancelling is destructive: it asks first, and "Cancel" in the dialog changes nothing.
    await page.click('button[data-status="cancelled"]')
    await page.getByTestId('confirm-ok').waitFor()
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('order-status').textContent()).toBe('In progress')

    await page.goto(`${app.url}/admin/audit`)
    await page.fill('input[name="action"]', 'order.status')
    await page.getByRole('button', { name: 'Apply' }).click()
    const row = page.locator('tr[data-action="order.status"]').first()
    // The entry reads as a sentence in the admin's language; the raw record is one click away.
    expect(await row.getByTestId('audit-sentence').textContent()).toBe(`Алексей Зернов moved order ${orderNumber} from “New” to “In progress”. Note: “Бариста начал готовить”.`)
    await row.getByRole('button', { name: 'Details' }).click()
    await page.getByText('"Бариста начал готовить"').first().waitFor()
    expect(await page.locator('[data-testid="audit-table"]').textContent()).toContain(`order #${orderId}`)
  })

  it("shows the address a customer typed in Telegram's payment form on the order detail", async () => {
    const product = (await api('/api/catalog/products/brazil-cerrado')).body
    await api('/api/cart/items', { method: 'POST', user: CUSTOMER, body: { productId: product.id, quantity: 1 } })
    const checkout = { delivery: { method: 'telegram_shipping' }, contact: { name: 'Мария Котова', phone: '+7 900 555-12-34' }, paymentMethod: 'telegram' }
    const order = (await api('/api/orders', { method: 'POST', user: CUSTOMER, body: checkout, headers: { 'idempotency-key': `admin-ui-ship-${Date.now()}` } })).body
    const zone = (await api('/api/checkout/options', { user: CUSTOMER })).body.deliveryZones.find((z: { slug: string }) => z.slug === 'center')
    const address = { country_code: 'RU', state: '', city: 'Москва', street_line1: 'ул. Покровка, 17', street_line2: 'кв. 5', post_code: '101000' }
    const paid = { currency: 'RUB', total_amount: order.totalMinor + 19000, invoice_payload: `order:${order.id}`, shipping_option_id: `zone-${zone.id}`, order_info: { shipping_address: address } }
    const update = fake.updates.successfulPayment({ ...CUSTOMER, is_bot: false }, { ...paid, telegram_payment_charge_id: `admin-ui-ship-${order.id}`, provider_payment_charge_id: 'prov-admin-ui' })
    await bot.deliver(update)
    await eventually(async () => (await api(`/api/admin/orders/${order.id}`, { user: OWNER })).body.status === 'paid', 15_000)
    await page.goto(`${app.url}/admin/orders/${order.id}`)
    await page.getByRole('heading', { name: `Order ${order.number}` }).waitFor()
    expect(await page.getByTestId('order-delivery').textContent()).toContain(`Courier to the address from Telegram, zone #${zone.id}`)
    expect(await page.getByTestId('order-address').textContent()).toBe('ул. Покровка, 17, кв. 5, Москва, 101000, RU')
    await checkScreen('order-telegram-shipping')
  })

  it('edits a product price entered in rubles; the server gets kopecks and the audit shows it', async () => {
    await page.getByRole('link', { name: 'Catalog', exact: true }).click()
    await page.fill('input[name="search"]', 'cappuccino')
    const row = page.locator('tr[data-slug="cappuccino"]')
    await row.waitFor()
    expect(await page.locator('tbody tr').count()).toBe(1)
    await page.fill('input[name="search"]', '')
    await page.locator('tr[data-slug="v60-filter"]').getByText('Hidden').waitFor()
    await checkScreen('catalog')

    await row.getByRole('link', { name: 'Edit' }).click()
    await page.waitForURL(/\/admin\/catalog\/products\/\d+$/)
    const productId = Number(page.url().split('/').pop())
    expect(await page.inputValue('input[name="price"]')).toBe('220')
    await page.fill('input[name="price"]', '12,3x')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Enter a price: a number with up to two decimals').waitFor()
    await page.fill('input[name="price"]', '235,50')
    await page.getByRole('button', { name: 'Save' }).click()
    await toast('Saved')
    await checkScreen('product')
    const saved = (await api('/api/admin/catalog/products', { user: OWNER })).body.items.find((p: { id: number }) => p.id === productId)
    expect(saved.priceMinor).toBe(23_550)
    // Only the price changed: images, options and tags are kept.
    expect(saved).toMatchObject({ images: [expect.stringMatching(/^\/files\/products\/.+\.webp$/)], tags: ['hot', 'bestseller'], attributes: [{ key: 'volume', value: { ru: '300 мл', en: '300 ml' } }] })
    expect(saved.options.map((o: { key: string }) => o.key)).toEqual(['milk', 'size'])

    await page.goto(`${app.url}/admin/audit`)
    await page.fill('input[name="action"]', 'product.price')
    await page.getByRole('button', { name: 'Apply' }).click()
    const entry = page.locator('tr[data-action="product.price"]').first()
    expect(plainText(await entry.getByTestId('audit-sentence').textContent())).toBe('Алексей Зернов changed the price of Cappuccino from RUB 220 to RUB 235.50.')
    await entry.getByRole('button', { name: 'Details' }).click()
    const diff = page.locator('tr.expanded').first()
    await diff.getByText('priceMinor', { exact: true }).waitFor()
    expect(await diff.locator('tbody tr').count()).toBe(1)
    expect(await diff.textContent()).toContain('22000')
    expect(await diff.textContent()).toContain('23550')
    await checkScreen('audit')
  })

  it('imports a CSV: good rows are saved, the bad row comes back with its line and field', async () => {
    await page.goto(`${app.url}/admin/catalog`)
    await page.getByRole('button', { name: 'Import CSV' }).click()
    const csv = ['slug,category,name_ru,name_en,price,stock', 'ui-test-latte,coffee,Тестовый латте,Test latte,199.90,10', 'ui-test-broken,coffee,Сломанный,Broken,abc,1'].join('\n')
    await page.setInputFiles('input[name="csv"]', { name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByTestId('import-result').waitFor()
    expect(await page.getByTestId('import-result').textContent()).toContain('Created: 1, updated: 0, failed: 1')
    const errors = await page.getByTestId('import-errors').locator('tbody tr').allTextContents()
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^3\s*price/)
    expect(errors[0]).toContain('not a price')
    await checkScreen('import')
    await page.keyboard.press('Escape')
    await page.locator('tr[data-slug="ui-test-latte"]').waitFor()
  })

  it('shows the categories with their editor', async () => {
    await page.getByRole('link', { name: 'Categories', exact: true }).click()
    await page.getByRole('cell', { name: 'coffee', exact: true }).waitFor()
    await checkScreen('categories')
    await page.getByRole('button', { name: 'New category' }).click()
    await page.fill('dialog input[name="name_ru"]', 'Сезонное')
    await page.fill('dialog input[name="name_en"]', 'Seasonal')
    await page.fill('dialog input[name="slug"]', 'seasonal')
    await checkScreen('category-editor')
    await page.locator('dialog').getByRole('button', { name: 'Save' }).click()
    await page.getByRole('cell', { name: 'seasonal', exact: true }).waitFor()
  })

  it('grants and removes a role, and explains why the pinned owner keeps theirs', async () => {
    await page.getByRole('link', { name: 'Users & roles', exact: true }).click()
    await page.fill('input[name="search"]', String(CUSTOMER.id))
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    const row = page.locator(`tr[data-user="${CUSTOMER.id}"]`)
    await row.getByText('no roles').waitFor()
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1)
    await row.locator('select[name="role"]').selectOption('operator')
    await row.getByRole('button', { name: 'Grant role' }).click()
    await toast('Role “operator” granted')
    await row.locator('[data-role="operator"]').waitFor()
    expect((await api(`/api/admin/users?search=${CUSTOMER.id}`, { user: OWNER })).body.items[0].roles).toEqual(['operator'])
    await checkScreen('users')

    await row.getByRole('button', { name: 'Remove role operator' }).click()
    await page.getByTestId('confirm-ok').click()
    await toast('Role “operator” removed')
    await row.getByText('no roles').waitFor()
    expect((await api(`/api/admin/users?search=${CUSTOMER.id}`, { user: OWNER })).body.items[0].roles).toEqual([])

    await page.fill('input[name="search"]', String(OWNER.id))
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    const owner = page.locator(`tr[data-user="${OWNER.id}"]`)
    await owner.getByRole('button', { name: 'Remove role owner' }).click()
    await page.getByTestId('confirm-ok').click()
    await toast(/pinned in ADMIN_TELEGRAM_IDS|last owner/)
  })

  it('switches the language to Russian', async () => {
    await page.getByLabel('Language').selectOption('ru')
    await page.getByRole('link', { name: 'Журнал действий' }).waitFor()
    await page.getByRole('link', { name: 'Журнал действий' }).click()
    await page.getByRole('heading', { name: 'Журнал действий' }).waitFor()
    await checkScreen('audit-ru')
    await page.getByLabel('Язык').selectOption('en')
  })

  it('signs out: the session ends on the server and /admin asks to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/admin\/login\?signedOut=1/)
    await page.getByText('You have signed out').waitFor()
    await checkScreen('signed-out')
    const session = await page.evaluate(() => fetch('/api/auth/session').then((r) => r.status))
    expect(session).toBe(401)
    await page.goto(`${app.url}/admin/orders`)
    await page.waitForURL(/\/admin\/login/)
    expect(pageErrors).toEqual([])
  })
})
