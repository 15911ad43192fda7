import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { adminToast, callAs, pageOverflow, sandboxAdminLink, sandboxBotReady, sandboxPerson } from '../helpers/admin'
import { eventually } from '../helpers/eventually'
import { launchBrowser, plainText, screenshot, seriousA11yViolations } from '../helpers/browser'

/**
 * The operator's calendar in /admin, in Debian Chromium against the built app with the sandbox's
 * fake Bot API: the demo customer books a latte-art lesson with Anna; the owner drags it an hour
 * later in the day view, the server moves it and the customer gets "Запись перенесена" in the
 * chat; a drag onto another customer's time is refused and the booking stays. Then the week and
 * the phone's day view, and a special day that would orphan a booking asks first.
 */
let app: RunningApp
let browser: Browser
let desktop: BrowserContext
let page: Page
let cookies: Awaited<ReturnType<BrowserContext['cookies']>>
const TZ = 'Europe/Moscow'
const day = (() => {
  const d = new Date(Date.now() + 3 * 86_400_000)
  return d.toLocaleDateString('sv-SE', { timeZone: TZ })
})()
const local = (iso: string) => new Date(iso).toLocaleTimeString('ru-RU', { timeZone: TZ, hour: '2-digit', minute: '2-digit' })
const chat = async (person: string) => ((await (await fetch(`${app.url}/api/sandbox/chat?person=${person}`)).json()) as { messages: { text?: string }[] }).messages

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  browser = await launchBrowser()
  const signIn = await browser.newContext()
  const first = await signIn.newPage()
  await first.goto(await sandboxAdminLink(app.url, 'owner'))
  await first.waitForURL(`${app.url}/admin`)
  cookies = await signIn.cookies()
  await signIn.close()
  desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU', deviceScaleFactor: 1 })
  await desktop.addCookies(cookies)
  await desktop.addInitScript(() => localStorage.setItem('admin.locale', 'ru'))
  page = await desktop.newPage()
}, 240_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('the bookings calendar in /admin', () => {
  let bookingId: number
  let otherId: number
  let anna: number
  let startsAt: string
  const customer = () => sandboxPerson(app.url, 'customer')

  it('drags a booking an hour later in the day view: the server moves it and the customer is told in the chat', async () => {
    const maria = await customer()
    const service = await callAs(app.url, maria, '/api/booking/services/latte-art')
    anna = service.resources.find((r: { slug: string }) => r.slug === 'anna').id
    const slots = await callAs(app.url, maria, `/api/booking/slots?service=latte-art&resource=${anna}&from=${day}`)
    const free = slots.days[0].slots.map((s: { startsAt: string }) => s.startsAt)
    startsAt = free.find((s: string) => local(s) === '10:00')
    expect(startsAt).toBeTruthy()
    const hold = await callAs(app.url, maria, '/api/booking/bookings', { method: 'POST', body: { serviceId: service.id, resourceId: anna, startsAt }, headers: { 'idempotency-key': 'calendar-drag-0001' } })
    await callAs(app.url, maria, `/api/booking/bookings/${hold.id}/confirm`, { method: 'POST' })
    bookingId = hold.id
    // Another customer at 15:00, to drag onto later.
    const emma = await sandboxPerson(app.url, 'customer_en')
    const other = await callAs(app.url, emma, '/api/booking/bookings', { method: 'POST', body: { serviceId: service.id, resourceId: anna, startsAt: free.find((s: string) => local(s) === '15:00') }, headers: { 'idempotency-key': 'calendar-drag-0002' } })
    await callAs(app.url, emma, `/api/booking/bookings/${other.id}/confirm`, { method: 'POST' })
    otherId = other.id
    const before = (await chat('customer')).length

    await page.goto(`${app.url}/admin/bookings?date=${day}&view=day`)
    const block = page.locator(`[data-testid="booking-calendar"] .block[data-booking="${bookingId}"]`)
    await block.waitFor({ timeout: 20_000 })
    expect(plainText(await block.textContent())).toContain('10:00')
    await screenshot(page, 'admin-bookings-calendar-day-desktop')
    expect((await seriousA11yViolations(page)).map((v) => v.id)).toEqual([])

    const box = (await block.boundingBox())!
    const hour = 60 * 1.1
    await page.mouse.move(box.x + box.width / 2, box.y + 12)
    await page.mouse.down()
    for (let i = 1; i <= 6; i++) await page.mouse.move(box.x + box.width / 2, box.y + 12 + (hour * i) / 6)
    expect(plainText(await block.textContent())).toContain('11:00 →')
    await page.mouse.up()
    await adminToast(page, 'Запись перенесена')
    const moved = await callAs(app.url, maria, `/api/booking/bookings/${bookingId}`)
    expect(local(moved.startsAt)).toBe('11:00')
    expect(moved.history.at(-1)).toMatchObject({ action: 'rescheduled', actorKind: 'staff' })
    const told = await eventually(async () => (await chat('customer')).slice(before).find((m) => m.text?.startsWith('Запись перенесена')), 20_000)
    expect(told?.text).toContain('11:00')
    await page.locator(`[data-testid="booking-calendar"] .block[data-booking="${bookingId}"]`, { hasText: '11:00' }).waitFor()
  })

  it("refuses a drag onto another customer's time and leaves the booking where it was", async () => {
    const block = page.locator(`[data-testid="booking-calendar"] .block[data-booking="${bookingId}"]`)
    const target = (await page.locator(`[data-testid="booking-calendar"] .block[data-booking="${otherId}"]`).boundingBox())!
    const box = (await block.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + 12)
    await page.mouse.down()
    for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width / 2, box.y + 12 + ((target.y - box.y) * i) / 8)
    await page.mouse.up()
    await eventually(async () => (await page.locator('[role="status"] .toast').allTextContents()).some((t) => /занял|занято|taken|free/i.test(t)), 10_000)
    const still = await callAs(app.url, await customer(), `/api/booking/bookings/${bookingId}`)
    expect(local(still.startsAt)).toBe('11:00')
  })

  it('opens a booking to mark it, and shows a resource week on a desktop and the day on a phone', async () => {
    await page.locator(`[data-testid="booking-calendar"] .block[data-booking="${otherId}"]`).click()
    const dialog = page.getByTestId('booking-dialog')
    await dialog.waitFor()
    expect(await dialog.getByRole('button').allTextContents()).toEqual(expect.arrayContaining(['Перенести', 'Пришёл', 'Неявка', 'Отменить']))
    await screenshot(page, 'admin-bookings-calendar-dialog-desktop')
    await page.keyboard.press('Escape')

    await page.goto(`${app.url}/admin/bookings?date=${day}&resource=${anna}`)
    await page.locator('[data-view="week"][aria-pressed="true"]').waitFor()
    await page.locator(`[data-testid="booking-calendar"] .block[data-booking="${bookingId}"]`).waitFor()
    expect(await page.locator('[data-testid="booking-calendar"] .colhead').count()).toBe(7)
    await screenshot(page, 'admin-bookings-calendar-week-desktop')

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU', hasTouch: true, isMobile: true, deviceScaleFactor: 1 })
    await phone.addCookies(cookies)
    await phone.addInitScript(() => localStorage.setItem('admin.locale', 'ru'))
    const small = await phone.newPage()
    await small.goto(`${app.url}/admin/bookings?date=${day}`)
    await small.locator('[data-view="day"][aria-pressed="true"]').waitFor()
    await small.locator(`[data-testid="booking-calendar"] .block[data-booking="${bookingId}"]`).waitFor()
    await screenshot(small, 'admin-bookings-calendar-day-phone')
    expect(await pageOverflow(small)).toBeLessThanOrEqual(0)
    expect((await seriousA11yViolations(small)).map((v) => v.id)).toEqual([])
    await phone.close()
  })

  it('a sick day that would orphan confirmed bookings lists them and cancels them only when told', async () => {
    await page.goto(`${app.url}/admin/bookings/schedule`)
    await page.getByTestId('week-form').waitFor()
    await page.locator('select[name="resource"]').selectOption(String(anna))
    await page.locator('input[name="exception_day"]').fill(day)
    await page.getByTestId('exception-form').getByRole('button').click()
    const conflict = page.getByTestId('schedule-conflict')
    await conflict.waitFor()
    expect(await conflict.locator('li').count()).toBe(2)
    await screenshot(page, 'admin-bookings-schedule-conflict-desktop')
    await conflict.getByTestId('conflict-cancel').click()
    await page.getByTestId('confirm-ok').click()
    await adminToast(page, 'отменено записей: 2')
    expect((await callAs(app.url, await customer(), `/api/booking/bookings/${bookingId}`)).status).toBe('cancelled')
    await eventually(async () => (await chat('customer')).some((m) => m.text?.startsWith('Запись отменена')), 20_000)
  })
})
