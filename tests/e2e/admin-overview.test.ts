import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, sandboxLaunch } from '../helpers/browser'
import { sandboxBotReady, sandboxOrder } from '../helpers/admin'

/**
 * The owner's first screen in /admin, on a phone inside Telegram (the sandbox): the business
 * overview counts what happened today from the app's own records. A customer filled a cart, ordered
 * and paid; the owner opened the Mini App. The funnel and both charts show it.
 */
let app: RunningApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined }, timeoutMs: 240_000 })
  await sandboxBotReady(app.url)
  await sandboxOrder(app.url, 'telegram', 'flat-white')
  browser = await launchBrowser()
  page = await openSandboxPage(browser, app.url)
}, 400_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('the business overview on the /admin dashboard', () => {
  it('shows the owner today\'s funnel (opened, cart, ordered, paid) and the per-day charts on a phone', async () => {
    const frame = await sandboxLaunch(page, { person: 'owner', theme: 'light' })
    await frame.click('a[href="/app/account"]')
    await frame.getByTestId('admin-entry').click()
    await frame.waitForURL(/\/admin$/)
    const overview = frame.getByTestId('business-overview')
    await overview.getByTestId('funnel').waitFor()
    const number = async (step: string) => Number((await overview.getByTestId(`funnel-${step}`).locator('.n').textContent())?.replace(/\D/g, ''))
    // The owner opened the Mini App; the customer put coffee in the cart, ordered and paid.
    expect(await number('opens')).toBeGreaterThanOrEqual(1)
    expect(await number('carts')).toBeGreaterThanOrEqual(1)
    expect(await number('orders')).toBeGreaterThanOrEqual(1)
    expect(await number('paid')).toBeGreaterThanOrEqual(1)
    // Two charts of 14 days; today's paid bar has the value.
    expect(await overview.locator('figure').count()).toBe(2)
    const paidBars = await overview.locator('figure').first().locator('[data-testid="chart-bar"]').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))))
    expect(paidBars).toHaveLength(14 * 4)
    expect(paidBars.at(-1)).toBeGreaterThanOrEqual(1)
    // Nothing wider than the phone.
    expect(await frame.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
    await phoneScreenshot(page, 'admin-business-overview')
    await overview.locator('figure').first().scrollIntoViewIfNeeded()
    await phoneScreenshot(page, 'admin-business-overview-charts')
  })
})
