import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { callAs, sandboxBotReady, sandboxPerson } from '../helpers/admin'
import { join } from 'node:path'
import { launchBrowser, openSandboxPage, phoneScreenshot, plainText, sandboxLaunch, SCREENSHOT_DIR, seriousA11yViolations } from '../helpers/browser'

/**
 * Booking through /sandbox in Debian Chromium: the Russian customer finds the services from the
 * home screen, then opens the deep link
 * `booking_latte-art`, picks a day and a time, holds it, confirms, and the bot's confirmation
 * with its buttons appears in the chat; pressing "Отменить" there cancels it. The operator then
 * sees the day in /admin on the phone and marks a class attendee as come.
 */
let app: RunningApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  browser = await launchBrowser()
  page = await openSandboxPage(browser, app.url)
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const mainButton = () => page.locator('[data-testid="tg-main"]')
const mainText = async () => plainText(await mainButton().textContent().catch(() => ''))
const chatMessage = (text: string) => page.locator('[data-testid="chat-message"]', { hasText: text })

describe('booking in the Mini App and the chat', () => {
  let frame: Frame
  let day = ''

  it('starts from the home screen with the list of services, each with its length and price', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light' })
    await frame.click('a[href="/app/booking"]')
    const services = frame.locator('[data-testid="booking-services"] li')
    await services.first().waitFor()
    expect(await services.count()).toBe(4)
    const latte = frame.locator('[data-testid="booking-services"] a[href="/app/booking/latte-art"]')
    expect(plainText(await latte.textContent())).toMatch(/^Латте-арт.*\d+ мин · [\d\s]+₽/)
    await expect.poll(mainText).toBe('Мои записи')
    await phoneScreenshot(page, 'booking-services-ru-light')
    expect((await seriousA11yViolations(frame)).map((v) => v.id)).toEqual([])
    await latte.click()
    await frame.waitForSelector('h1:has-text("Латте-арт")')
  })

  it('shows the service, a month of days and the free times of the first open day', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light', startParam: 'booking_latte-art' })
    await frame.waitForSelector('h1:has-text("Латте-арт")')
    await frame.locator('[data-testid="booking-slots"] button').first().waitFor({ timeout: 20_000 })
    expect(await frame.locator('[data-testid="booking-days"] button').count()).toBe(31)
    expect(await frame.locator('[data-testid="booking-days"] [aria-selected="true"]').count()).toBe(1)
    await phoneScreenshot(page, 'booking-slots-ru-light')
    expect((await seriousA11yViolations(frame)).map((v) => v.id)).toEqual([])
  })

  it('holds the picked time with a countdown and confirms it; the chat gets the confirmation with buttons', async () => {
    // A day a few open days ahead: a booking starting within hours can only be changed by phone (no "Перенести").
    const later = frame.locator('[data-testid="booking-days"] button:not(.none)').nth(2)
    day = (await later.getAttribute('data-date'))!
    await later.click()
    await frame.locator(`[data-testid="booking-days"] [aria-selected="true"][data-date="${day}"]`).waitFor()
    await frame.locator('[data-testid="booking-slots"] button').first().click()
    await expect.poll(mainText).toMatch(/^Записаться на \d\d:\d\d$/)
    await mainButton().click()
    await frame.waitForSelector('[data-testid="booking-hold"]')
    expect(plainText(await frame.textContent('[data-testid="booking-hold"]'))).toMatch(/ещё \d+:\d\d/)
    await phoneScreenshot(page, 'booking-hold-ru-light')
    await expect.poll(mainText).toBe('Подтвердить запись')
    await mainButton().click()
    await frame.waitForSelector('[data-testid="booking-confirmed"]')
    expect(await frame.textContent('[data-testid="booking-status"]')).toBe('Подтверждена')
    await expect.poll(mainText).toBe('Перенести')
    await chatMessage('Вы записаны').waitFor({ timeout: 20_000 })
    await phoneScreenshot(page, 'booking-confirmed-ru-light')
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'booking-chat-confirmation.png') })
    expect(await chatMessage('Вы записаны').locator('button').allTextContents()).toEqual(['🔗 Перенести', 'Отменить'])
  })

  it('"Отменить" in the chat cancels the booking and the bot says so', async () => {
    await chatMessage('Вы записаны').locator('button', { hasText: 'Отменить' }).click()
    await chatMessage('Запись отменена').waitFor({ timeout: 20_000 })
    frame = await sandboxLaunch(page, { person: 'customer', startParam: '' })
    await frame.goto(`${app.url}/app/bookings`)
    await frame.waitForSelector('h1:has-text("Мои записи")')
    await frame.locator('text=Отменена').first().waitFor()
    await phoneScreenshot(page, 'booking-mine-ru-light')
  })

  it('the English customer books a class seat; the operator sees the day on the phone, moves them (they are told) and marks them as come', async () => {
    const emma = await sandboxPerson(app.url, 'customer_en')
    const slots = await callAs(app.url, emma, `/api/booking/slots?service=barista-basics&from=${day}`)
    const service = await callAs(app.url, emma, '/api/booking/services/barista-basics')
    const hold = await callAs(app.url, emma, '/api/booking/bookings', { method: 'POST', body: { serviceId: service.id, startsAt: slots.days[0].slots[0].startsAt }, headers: { 'idempotency-key': 'emma-class-0001' } })
    await callAs(app.url, emma, `/api/booking/bookings/${hold.id}/confirm`, { method: 'POST' })

    frame = await sandboxLaunch(page, { person: 'operator', theme: 'dark' })
    await frame.click('a[href="/app/account"]')
    await frame.getByTestId('admin-entry').click()
    await frame.waitForURL(/\/admin$/)
    await frame.goto(`${app.url}/admin/bookings?date=${day}`)
    const block = frame.locator(`[data-testid="booking-calendar"] .block[data-booking="${hold.id}"]`)
    await block.waitFor({ timeout: 20_000 })
    expect(plainText(await block.textContent())).toContain('Emma')
    await phoneScreenshot(page, 'admin-bookings-phone-dark')
    expect((await seriousA11yViolations(frame)).map((v) => v.id)).toEqual([])
    expect(await frame.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    // Move Emma to the next free time in the dialog: the customer hears about it in the chat.
    await block.click()
    await frame.getByTestId('booking-dialog').getByRole('button', { name: 'Перенести' }).click()
    const dialog = frame.getByTestId('move-form')
    await dialog.locator('select[name="startsAt"] option:not([disabled])').first().waitFor({ state: 'attached' })
    const next = await dialog.locator('select[name="startsAt"] option:not([disabled])').nth(1).getAttribute('value')
    await dialog.locator('select[name="startsAt"]').selectOption(next!)
    await phoneScreenshot(page, 'admin-bookings-move-phone-dark')
    await frame.getByTestId('move-submit').click()
    await frame.locator('[role="status"] .toast', { hasText: 'Запись перенесена' }).first().waitFor()
    expect((await callAs(app.url, emma, `/api/booking/bookings/${hold.id}`)).startsAt).toBe(next)
    await expect.poll(async () => (await (await fetch(`${app.url}/api/sandbox/chat?person=customer_en`)).json()).messages.some((m: { text?: string }) => m.text?.startsWith('Your booking was moved')), { timeout: 20_000 }).toBe(true)
    await block.click()
    await frame.getByTestId('booking-dialog').getByRole('button', { name: 'Пришёл' }).click()
    await expect.poll(async () => plainText(await block.textContent()), { timeout: 10_000 }).toContain('Состоялась')
    const owner = await sandboxPerson(app.url, 'owner')
    const audit = await callAs(app.url, owner, '/api/admin/audit?action=booking.status')
    expect(audit.items[0]).toMatchObject({ entityId: String(hold.id) })
  })
})
