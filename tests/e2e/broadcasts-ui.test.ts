import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, screenshot, seriousA11yViolations } from '../helpers/browser'
import { adminToast, callAs, pageOverflow, sandboxAdminLink, sandboxBotReady, sandboxPerson } from '../helpers/admin'
import { eventually } from '../helpers/eventually'

/**
 * Broadcasts in the sandbox, as an owner does it on a phone: writes one in /admin (the audience is
 * counted as the segment changes), cannot send before the preview reached their own chat, sends it
 * to the demo customers (who agreed to news), watches it finish, and the customer's chat pane in
 * /sandbox shows it with the Unsubscribe button; pressing it opts the customer out.
 */
let app: RunningApp
let browser: Browser
let page: Page
const errors: string[] = []

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  browser = await launchBrowser()
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU', hasTouch: true, isMobile: true, deviceScaleFactor: 1 })
  await context.addInitScript(() => localStorage.setItem('admin.locale', 'ru'))
  page = await context.newPage()
  page.on('pageerror', (e) => errors.push(e.message))
}, 180_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('broadcasts in /admin and the sandbox chat', () => {
  it('composes, previews, sends to the demo customers and shows the figures; the customer sees it and can unsubscribe', async () => {
    await page.goto(await sandboxAdminLink(app.url, 'owner'))
    await page.waitForURL(`${app.url}/admin`)
    await page.goto(`${app.url}/admin/broadcasts`)
    await page.getByTestId('broadcast-new').click()
    await page.fill('input[name="title"]', 'Осеннее меню')
    await page.fill('textarea[name="text_ru"]', '<b>Осеннее меню</b>: тыквенный латте & пирог')
    await page.fill('textarea[name="text_en"]', '<b>Autumn menu</b>: pumpkin latte & pie')
    await page.selectOption('select[name="button_kind"]', 'miniapp')
    await page.fill('input[name="button_text_ru"]', 'Открыть меню')
    await page.fill('input[name="button_text_en"]', 'Open the menu')
    // Both demo customers agreed to news; staff did not.
    await expect.poll(() => page.getByTestId('broadcast-audience').textContent(), { timeout: 10_000 }).toContain('Получат сейчас: 2 (ru 1, en 1)')
    await page.waitForTimeout(300)
    await screenshot(page, 'admin-broadcast-compose-phone')
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
    await page.getByTestId('broadcast-submit').click()
    await adminToast(page, 'Сохранено')

    const card = page.locator('[data-testid^="broadcast-"]', { hasText: 'Осеннее меню' }).first()
    await expect.poll(() => card.getByTestId('broadcast-send').isDisabled()).toBe(true)
    await card.getByTestId('broadcast-preview').click()
    await adminToast(page, 'Предпросмотр придёт')
    await expect.poll(() => card.getByTestId('broadcast-send').isEnabled(), { timeout: 20_000 }).toBe(true)
    const owner = await (await fetch(`${app.url}/api/sandbox/chat?person=owner`)).json()
    expect(owner.messages.map((m: { text?: string }) => m.text ?? '').join('\n')).toContain('Предпросмотр рассылки (ru)')

    await card.getByTestId('broadcast-send').click()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => card.locator('.adm-badge').textContent(), { timeout: 30_000 }).toBe('Отправлена')
    await expect.poll(() => card.getByTestId('broadcast-stats').textContent()).toMatch(/Доставлено\s*2/)
    await page.waitForTimeout(300)
    await screenshot(page, 'admin-broadcasts-sent-phone')
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
    const violations = await seriousA11yViolations(page)
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([])

    // The customer's chat in the sandbox.
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(`${app.url}/sandbox`)
    const message = page.locator('[data-testid="chat-message"].bot', { hasText: 'Осеннее меню' })
    await message.first().waitFor({ timeout: 15_000 })
    await expect.poll(() => message.first().textContent()).toContain('Отписаться от новостей')
    await message.first().scrollIntoViewIfNeeded()
    await screenshot(page, 'sandbox-broadcast-chat')

    // "Unsubscribe" opts Мария out: her profile says so.
    await message.first().getByRole('button', { name: 'Отписаться от новостей' }).click()
    const maria = await sandboxPerson(app.url, 'customer')
    await eventually(async () => (await callAs(app.url, maria, '/api/account')).notifications.news === false || undefined, 15_000)
    const audience = await callAs(app.url, await sandboxPerson(app.url, 'owner'), '/api/admin/broadcasts/audience', { method: 'POST', body: {} })
    expect(audience).toMatchObject({ total: 1, ru: 0, en: 1 })
    expect(errors).toEqual([])
  }, 180_000)
})
