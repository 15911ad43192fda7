import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningApp } from '../helpers/app'
import { startBotApp, type BotApp } from '../helpers/bot-app'
import { launchBrowser, plainText } from '../helpers/browser'
import type { InitUser } from '../helpers/telegram-users'
import { adminToast, expectAdminScreen } from '../helpers/admin'

/**
 * /admin delivery settings against the built app: the API (validation, audit, who may change it),
 * then an owner in Debian Chromium who edits a zone's price and cities and lets Telegram collect the
 * address, and the Mini App's checkout options that follow at once.
 */
const OWNER: InitUser = { id: 882_000_001, first_name: 'Алексей', last_name: 'Зернов', language_code: 'en' }
const MANAGER: InitUser = { id: 882_000_003, first_name: 'Ольга', last_name: 'Менеджер', language_code: 'en' }
const CUSTOMER: InitUser = { id: 882_000_002, first_name: 'Мария', last_name: 'Котова', language_code: 'ru' }

type Zone = { id: number; slug: string; priceMinor: number; cities: string[]; postCodePrefixes: string[]; isActive: boolean }
let bot: BotApp
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page
const pageErrors: string[] = []

const api: BotApp['api'] = (path, init) => bot.api(path, init)
const zoneBySlug = async (slug: string): Promise<Zone> => (await api('/api/admin/delivery/zones', { user: OWNER })).body.items.find((z: Zone) => z.slug === slug)

const askBotForAdminLink = (user: InitUser) => bot.adminLink(user)

const checkScreen = (name: string) => expectAdminScreen(page, name)
const toast = (text: string | RegExp) => adminToast(page, text)

beforeAll(async () => {
  bot = await startBotApp('admin-delivery', { env: { PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500', ADMIN_TELEGRAM_IDS: String(OWNER.id) } })
  ;({ app } = bot)
  for (const user of [OWNER, MANAGER, CUSTOMER]) expect((await api('/api/me', { user })).status).toBe(200)
  expect((await api(`/api/admin/users/${MANAGER.id}/roles`, { method: 'POST', user: OWNER, body: { role: 'manager' } })).status).toBe(200)
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await bot?.stop()
})

describe('delivery settings API', () => {
  it('creates and edits zones with audited before/after, and refuses bad input with field details', async () => {
    const created = await api('/api/admin/delivery/zones', {
      method: 'POST',
      user: OWNER,
      body: { name: { ru: 'Химки', en: 'Khimki' }, priceMinor: 45000, minOrderMinor: 100000, countryCode: 'ru', cities: ['Химки'], postCodePrefixes: ['1414'] },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ countryCode: 'RU', cities: ['Химки'], freeFromMinor: null, isActive: true })

    const bad = await api('/api/admin/delivery/zones', { method: 'POST', user: OWNER, body: { name: { ru: 'Х', en: 'X' }, priceMinor: 12.5, countryCode: 'Russia', postCodePrefixes: ['1 4!'] } })
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('validation_failed')
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['countryCode', 'postCodePrefixes.0', 'priceMinor'])
    expect((await api('/api/admin/delivery/zones', { method: 'POST', user: OWNER, body: { slug: 'center', name: { ru: 'Ц', en: 'C' }, priceMinor: 1 } })).body.code).toBe('conflict')
    expect((await api('/api/admin/delivery/zones/999999', { method: 'PATCH', user: OWNER, body: { priceMinor: 1 } })).status).toBe(404)
    expect((await api(`/api/admin/delivery/zones/${created.body.id}`, { method: 'PATCH', user: OWNER, body: {} })).status).toBe(400)

    // Deactivated rather than deleted: the customer no longer sees it, the log keeps both sides.
    const off = await api(`/api/admin/delivery/zones/${created.body.id}`, { method: 'PATCH', user: OWNER, body: { isActive: false, priceMinor: 47000 } })
    expect(off.status).toBe(200)
    expect((await api('/api/checkout/options', { user: CUSTOMER })).body.deliveryZones.map((z: Zone) => z.id)).not.toContain(created.body.id)
    const audit = (await api(`/api/admin/audit?entityType=delivery_zone&entityId=${created.body.id}`, { user: OWNER })).body.items
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['delivery_zone.update', 'delivery_zone.create'])
    expect(audit[0]).toMatchObject({ actorId: OWNER.id, before: { priceMinor: 45000, isActive: true }, after: { priceMinor: 47000, isActive: false } })
  })

  it('creates and edits pickup points, audited', async () => {
    const point = await api('/api/admin/delivery/pickup-points', { method: 'POST', user: OWNER, body: { name: { ru: 'Арбат', en: 'Arbat' }, address: { ru: 'Арбат, 10', en: '10 Arbat St' }, hours: { ru: '8–22', en: '8am–10pm' } } })
    expect(point.status).toBe(201)
    expect((await api('/api/checkout/options', { user: CUSTOMER })).body.pickupPoints.map((p: { id: number }) => p.id)).toContain(point.body.id)
    const closed = await api(`/api/admin/delivery/pickup-points/${point.body.id}`, { method: 'PATCH', user: OWNER, body: { isActive: false } })
    expect(closed.body).toMatchObject({ isActive: false, hours: { ru: '8–22' } })
    expect((await api('/api/admin/delivery/pickup-points/1', { method: 'PATCH', user: OWNER, body: { address: { ru: '', en: 'x' } } })).body.code).toBe('validation_failed')
    const audit = (await api(`/api/admin/audit?entityType=pickup_point&entityId=${point.body.id}`, { user: OWNER })).body.items
    expect(audit[0]).toMatchObject({ action: 'pickup_point.update', before: { isActive: true }, after: { isActive: false } })
  })

  it('switches Telegram address collection, audited as a setting; a manager may read orders but not change delivery', async () => {
    expect((await api('/api/admin/delivery/settings', { user: OWNER })).body).toEqual({ telegramShipping: true, cardPayments: true })
    expect((await api('/api/admin/delivery/settings', { method: 'PATCH', user: OWNER, body: { telegramShipping: 'yes' } })).status).toBe(400)
    expect((await api('/api/admin/delivery/settings', { method: 'PATCH', user: OWNER, body: { telegramShipping: false } })).body).toEqual({ telegramShipping: false })
    expect((await api('/api/checkout/options', { user: CUSTOMER })).body.telegramShipping).toBe(false)
    const audit = (await api('/api/admin/audit?action=setting.update', { user: OWNER })).body.items
    expect(audit[0]).toMatchObject({ entityType: 'setting', entityId: 'orders.telegram_shipping', before: { value: true }, after: { value: false } })

    for (const [method, path] of [['GET', '/api/admin/delivery/zones'], ['PATCH', '/api/admin/delivery/settings'], ['POST', '/api/admin/delivery/pickup-points']] as const) {
      const refused = await api(path, { method, user: MANAGER, body: method === 'GET' ? undefined : { telegramShipping: true } })
      expect(refused.status, path).toBe(403)
      expect(refused.body.code).toBe('forbidden')
    }
    expect((await api('/api/admin/delivery/zones', { user: CUSTOMER })).status).toBe(403)
    expect((await api('/api/admin/delivery/settings', { method: 'PATCH', body: { telegramShipping: true } })).status).toBe(401)
  })
})

describe('/admin/delivery in the browser', () => {
  it('the owner edits a zone’s price and cities, turns on Telegram’s address form, and checkout follows', async () => {
    const ttk = await zoneBySlug('ttk')
    expect(ttk).toMatchObject({ priceMinor: 29000, cities: ['Москва', 'Moscow'] })
    await page.goto(await askBotForAdminLink(OWNER))
    await page.waitForURL(`${app.url}/admin`)
    await page.getByRole('link', { name: 'Delivery', exact: true }).click()
    await page.waitForURL(`${app.url}/admin/delivery`)
    const zoneRow = page.getByTestId('zones-table').locator('tr', { hasText: 'Up to the Third Ring' })
    await expect.poll(async () => plainText(await zoneRow.textContent())).toContain('290')
    const toggle = page.getByRole('switch', { name: 'Telegram collects the address in the payment form' })
    expect(await toggle.isChecked()).toBe(false)
    await checkScreen('delivery')

    await zoneRow.getByRole('button', { name: /Edit/ }).click()
    const form = page.getByTestId('zone-form')
    // The form checks before sending: a price that is not a number and a bad post code are named.
    await form.locator('input[name="price"]').fill('3 10,5x')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByText('Enter an amount in rubles').waitFor()
    await form.locator('input[name="price"]').fill('310')
    await form.locator('textarea[name="post_codes"]').fill('124, 12#')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByText('Not a post code: “12#”').waitFor()
    await checkScreen('delivery-zone-dialog')
    await form.locator('textarea[name="post_codes"]').fill('')
    await form.locator('textarea[name="cities"]').fill('Москва\nMoscow, Зеленоград')
    await form.getByRole('button', { name: 'Save' }).click()
    await toast('Saved')
    await expect.poll(async () => plainText(await zoneRow.textContent())).toContain('310')
    expect(plainText(await zoneRow.textContent())).toContain('Москва, Moscow, Зеленоград')

    await toggle.check()
    await toast('Telegram now collects the address')
    expect(await page.getByTestId('shipping-warning').count()).toBe(0)
    await checkScreen('delivery-on')

    // The Mini App's checkout sees the new price and the new way to give an address.
    const options = (await api('/api/checkout/options', { user: CUSTOMER })).body
    expect(options.telegramShipping).toBe(true)
    expect(options.deliveryZones.find((z: Zone) => z.id === ttk.id)).toMatchObject({ priceMinor: 31000, cities: ['Москва', 'Moscow', 'Зеленоград'] })
    const audit = (await api(`/api/admin/audit?entityType=delivery_zone&entityId=${ttk.id}`, { user: OWNER })).body.items
    expect(audit[0]).toMatchObject({ action: 'delivery_zone.update', actorVia: 'session', before: { priceMinor: 29000 }, after: { priceMinor: 31000 } })
  })

  it('warns when the switch is on but no active zone could match a typed address', async () => {
    for (const slug of ['center', 'ttk']) {
      const zone = await zoneBySlug(slug)
      expect((await api(`/api/admin/delivery/zones/${zone.id}`, { method: 'PATCH', user: OWNER, body: { cities: [], postCodePrefixes: [] } })).status).toBe(200)
    }
    await page.reload()
    await page.getByTestId('shipping-warning').waitFor()
    expect(await page.getByTestId('shipping-warning').textContent()).toContain('refuse delivery to every address')
    await checkScreen('delivery-warning')
    // The same screen in Russian, the operators' usual language.
    await page.getByLabel('Language').selectOption('ru')
    await page.getByRole('heading', { name: 'Доставка и самовывоз' }).waitFor()
    expect(await page.getByTestId('shipping-warning').textContent()).toContain('откажет в доставке на любой адрес')
    await checkScreen('delivery-ru')
    expect(pageErrors).toEqual([])
  })
})
