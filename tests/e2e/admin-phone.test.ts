import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, phoneScreenshot, plainText, sandboxLaunch, seriousA11yViolations } from '../helpers/browser'
import { callAs, sandboxAdminLink, sandboxBotReady, sandboxOrder, sandboxPerson } from '../helpers/admin'

/**
 * /admin on a phone inside Telegram, played by the sandbox (the Mini App's 390 px frame with
 * Telegram's theme and buttons), against the built app in sandbox mode: the owner opens /admin from
 * the Mini App (no link, no cookie), changes an order's status and a price and refunds a payment;
 * the operator and the field employee see what their roles allow (shared/permissions.ts), even
 * though the owner's desktop session cookie sits in the same browser.
 */
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page
let order: { id: number; number: string }
let paid: { id: number; number: string }
const pageErrors: string[] = []
const owner = () => sandboxPerson(app.url, 'owner')

beforeAll(async () => {
  // The sandbox as `npm run dev` runs it: its staff may act (a production start without a token
  // is the read-only public demo, tests/e2e/production-defaults.test.ts).
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  order = (await sandboxOrder(app.url, 'cash_on_delivery', 'cappuccino')) as typeof order
  paid = (await sandboxOrder(app.url, 'telegram', 'flat-white')) as typeof paid
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: 'en-US' })
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** The Mini App as `person` in the sandbox's phone, then its account screen's way into /admin. */
async function adminFromMiniApp(person: string, theme: 'light' | 'dark' = 'light'): Promise<Frame> {
  const frame = await sandboxLaunch(page, { person, theme })
  await frame.click('a[href="/app/account"]')
  await frame.getByTestId('admin-entry').waitFor()
  await phoneScreenshot(page, `miniapp-account-${person}-admin-entry`)
  await frame.getByTestId('admin-entry').click()
  await frame.waitForURL(/\/admin$/)
  await frame.getByTestId('admin-user').waitFor({ state: 'attached' })
  return frame
}
/** Opens a section from the drawer, as a thumb would. */
async function section(frame: Frame, name: string) {
  await frame.getByTestId('menu').click()
  await frame.locator('#adm-nav').getByRole('link', { name, exact: true }).click()
}
const adminUser = (frame: Frame) => frame.getByTestId('admin-user').textContent()
const toast = (frame: Frame, text: string | RegExp) => frame.locator('[role="status"] .toast', { hasText: text }).first().waitFor()
/** The screen in the phone: a screenshot, no serious axe findings, no sideways scrolling. */
async function look(frame: Frame, name: string) {
  // Settled: nothing on the screen still loading (the Mini App behind it may still fetch its own things).
  await frame.waitForFunction(() => !document.querySelector('[aria-busy="true"]'))
  await phoneScreenshot(page, `admin-phone-${name}`)
  expect(await frame.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth), name).toBeLessThanOrEqual(0)
  expect((await seriousA11yViolations(frame)).map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), name).toEqual([])
}

describe('the owner runs the shop from the phone', () => {
  it('opens /admin from the Mini App, signed in by Telegram, in Telegram’s colours', async () => {
    // A desktop session of someone else in this very browser must not matter inside Telegram.
    await page.goto(await sandboxAdminLink(app.url, 'staff'))
    await page.waitForURL(`${app.url}/admin`)
    await page.goto(`${app.url}/sandbox`)
    await page.waitForSelector('[data-testid="who"]')

    const frame = await adminFromMiniApp('owner')
    expect(await adminUser(frame)).toBe('Алексей Зернов')
    expect(await frame.locator('.adm').getAttribute('class')).toContain('tg')
    // Telegram's light theme (the sandbox's tdesktop "Day"): the page is its secondary background.
    expect(await frame.evaluate(() => getComputedStyle(document.querySelector('.adm')!).backgroundColor)).toBe('rgb(241, 241, 241)')
    expect(await frame.evaluate(() => window.innerWidth)).toBeLessThanOrEqual(390)
    // Inside Telegram there is nothing to sign out of: the way out leads back to the Mini App.
    expect(await frame.getByTestId('back-to-app').count()).toBe(1)
    await look(frame, 'dashboard')
  })

  it('moves an order to "in progress"', async () => {
    const frame = await sandboxLaunchKeep()
    await section(frame, 'Заказы')
    await frame.getByRole('link', { name: order.number }).click()
    await frame.getByRole('heading', { name: `Заказ ${order.number}` }).waitFor()
    await look(frame, 'order')
    await frame.fill('textarea[name="note"]', 'Начали готовить')
    await frame.click('button[data-status="in_progress"]')
    await toast(frame, 'Статус изменён: Готовится')
    expect(await frame.getByTestId('order-status').textContent()).toBe('Готовится')
    const stored = await callAs(app.url, await owner(), `/api/admin/orders/${order.id}`)
    expect(stored.status).toBe('in_progress')
    expect(stored.history.at(-1)).toMatchObject({ to: 'in_progress', actorKind: 'staff', note: 'Начали готовить' })
  })

  it('changes the price of cappuccino', async () => {
    const frame = await sandboxLaunchKeep()
    await section(frame, 'Каталог')
    await frame.locator('tr[data-slug="cappuccino"]').getByRole('link', { name: 'Изменить' }).click()
    await frame.locator('input[name="price"]').waitFor()
    await look(frame, 'product')
    await frame.fill('input[name="price"]', '245')
    await frame.getByRole('button', { name: 'Сохранить' }).click()
    await toast(frame, 'Сохранено')
    const product = (await callAs(app.url, await owner(), '/api/admin/catalog/products')).items.find((p: { slug: string }) => p.slug === 'cappuccino')
    expect(product.priceMinor).toBe(24_500)
  })

  it('refunds part of a card payment from a bottom sheet', async () => {
    const frame = await sandboxLaunchKeep()
    await section(frame, 'Платежи')
    await frame.locator('[data-testid="payments-table"] tr', { hasText: paid.number }).getByRole('link', { name: /Платёж №/ }).click()
    await frame.getByTestId('refund-open').click()
    const sheet = frame.locator('dialog[open]').first()
    // A bottom sheet on a phone: it spans the width and sits on the bottom edge.
    const box = (await sheet.boundingBox())!
    const screen = (await page.getByTestId('miniapp-frame').boundingBox())!
    expect(Math.abs(box.width - screen.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(box.y + box.height - (screen.y + screen.height))).toBeLessThanOrEqual(1)
    await sheet.locator('input[name="amount"]').fill('100')
    await sheet.locator('input[name="providerReference"]').fill('rf-phone-1')
    await sheet.locator('textarea[name="reason"]').fill('Долго ждали заказ')
    await look(frame, 'refund')
    await sheet.getByTestId('refund-submit').click()
    await frame.getByTestId('confirm-ok').click()
    await toast(frame, /Возврат выполнен/)
    await expect.poll(async () => plainText(await frame.getByTestId('payment-refunded').textContent())).toBe('100 ₽')
    const payment = (await callAs(app.url, await owner(), `/api/admin/payments?q=${paid.number}`)).items[0]
    expect(payment).toMatchObject({ status: 'partially_refunded', refundedMinor: 10_000 })
  })

  it('reads what happened as sentences in the audit log, the raw record a tap away', async () => {
    const frame = await sandboxLaunchKeep()
    await section(frame, 'Журнал действий')
    const price = frame.locator('tr[data-action="product.price"]').first()
    expect(plainText(await price.getByTestId('audit-sentence').textContent())).toBe('Алексей Зернов: цена «Капучино» изменена с 220 ₽ на 245 ₽.')
    const refund = frame.locator('tr[data-action="payment.refund"]').first()
    expect(plainText(await refund.getByTestId('audit-sentence').textContent())).toContain('возвращено 100 ₽ (Долго ждали заказ)')
    await price.getByRole('button', { name: 'Подробнее' }).click()
    await frame.locator('tr.expanded').first().getByText('priceMinor', { exact: true }).waitFor()
    await look(frame, 'audit')
  })

  it('goes back to the Mini App with Telegram’s Back button', async () => {
    const frame = await adminFromMiniApp('owner')
    await page.click('[data-testid="tg-back"]')
    await frame.waitForURL(/\/app\/account$/)
    await frame.locator('fieldset').waitFor()
    expect(pageErrors).toEqual([])
  })
})

describe('other roles see what their role allows', () => {
  it('the operator: orders, customers, bookings, support and submissions, not payments, catalog or settings', async () => {
    const frame = await adminFromMiniApp('operator', 'dark')
    expect(await adminUser(frame)).toBe('Олег Петров')
    await frame.getByTestId('menu').click()
    const sections = await frame.locator('#adm-nav nav a').allTextContents()
    expect(sections.map((s) => s.trim())).toEqual(['Сводка', 'Заказы', 'Покупатели', 'Записи', 'Поддержка', 'Заявки'])
    await page.keyboard.press('Escape')
    // Telegram's dark theme (tdesktop "Night").
    expect(await frame.evaluate(() => getComputedStyle(document.querySelector('.adm')!).backgroundColor)).toBe('rgb(35, 46, 60)')
    await look(frame, 'operator-dashboard-dark')
    await section(frame, 'Заказы')
    await frame.getByRole('link', { name: order.number }).click()
    await frame.locator('button[data-status="ready"]').waitFor()
    await look(frame, 'operator-order-dark')
    // Opening a payments address anyway shows no payment: the page and the API both refuse.
    await frame.goto(`${app.url}/admin/payments`)
    await frame.getByText('У вашей роли нет доступа к этому разделу.').waitFor()
    const launch = await sandboxPerson(app.url, 'operator')
    expect((await fetch(`${app.url}/api/admin/payments`, { headers: launch.headers })).status).toBe(403)
  })

  it('the field employee: their own name, not the owner signed in on this browser’s desktop tab', async () => {
    const desktop = await context.newPage()
    await desktop.goto(await sandboxAdminLink(app.url, 'owner'))
    await desktop.waitForURL(`${app.url}/admin`)
    expect(await desktop.getByTestId('admin-user').textContent()).toBe('Алексей Зернов')
    await desktop.close()

    const frame = await adminFromMiniApp('staff')
    expect(await adminUser(frame)).toBe('Дмитрий Курьеров')
    await frame.getByTestId('nothing-here').waitFor()
    await frame.getByTestId('menu').click()
    expect((await frame.locator('#adm-nav nav a').allTextContents()).map((s) => s.trim())).toEqual(['Сводка'])
    await page.keyboard.press('Escape')
    await look(frame, 'staff-dashboard')
    // A reload inside Telegram (no launch in the address any more) keeps the person Telegram launched.
    await frame.goto(`${app.url}/admin`)
    await frame.getByTestId('admin-user').waitFor({ state: 'attached' })
    expect(await adminUser(frame)).toBe('Дмитрий Курьеров')
    const launch = await sandboxPerson(app.url, 'staff')
    expect((await fetch(`${app.url}/api/admin/orders`, { headers: launch.headers })).status).toBe(403)
  })

  it('a customer has no way into /admin in the Mini App', async () => {
    const frame = await sandboxLaunch(page, { person: 'customer' })
    await frame.click('a[href="/app/account"]')
    await frame.locator('fieldset').waitFor()
    expect(await frame.getByTestId('admin-entry').count()).toBe(0)
  })
})

describe('signing in on a desktop, in the sandbox', () => {
  it('the login page points at the sandbox, and the bot’s link in the chat is clickable', async () => {
    const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    const login = await desktop.newPage()
    await login.goto(`${app.url}/admin/login`)
    expect(await login.getByTestId('open-bot').getAttribute('href')).toBe('/sandbox')
    await login.getByTestId('open-bot').click()
    await login.waitForURL(`${app.url}/sandbox`)
    await login.selectOption('[data-testid="person"]', 'owner')
    await login.getByTestId('chat-messages').waitFor()
    await login.waitForLoadState('networkidle')
    const before = await login.getByTestId('chat-link').count()
    await login.fill('[data-testid="chat-input"]', '/admin')
    await login.click('[data-testid="chat-send"]')
    await expect.poll(() => login.getByTestId('chat-link').count(), { timeout: 15_000 }).toBe(before + 1)
    const link = login.getByTestId('chat-link').last()
    expect(await link.getAttribute('href')).toMatch(/\/admin\/login\?token=[A-Za-z0-9_-]+$/)
    const [admin] = await Promise.all([desktop.waitForEvent('page'), link.click()])
    await admin.waitForURL(`${app.url}/admin`)
    expect(await admin.getByTestId('admin-user').textContent()).toBe('Алексей Зернов')
    await desktop.close()
  })
})

/** The current Mini App frame (the launch made by the test before), back on /admin's dashboard. */
async function sandboxLaunchKeep(): Promise<Frame> {
  const handle = await page.$('[data-testid="miniapp-frame"]')
  const frame = (await handle!.contentFrame())!
  if (!frame.url().endsWith('/admin')) {
    await section(frame, 'Сводка')
    await frame.waitForURL(/\/admin$/)
  }
  return frame
}
