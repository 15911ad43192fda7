import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { SCREENSHOT_DIR, launchBrowser, sandboxLaunch, screenshot, seriousA11yViolations } from '../helpers/browser'
import { resolve } from 'node:path'
import { mkdirSync } from 'node:fs'

/**
 * The Mini App through /sandbox in Debian Chromium, against the built app in sandbox mode (no
 * TELEGRAM_BOT_TOKEN): signed launch, theme, Telegram buttons, bot chat, deep links, fallback.
 */
let app: RunningApp
let browser: Browser
let context: BrowserContext
let page: Page

beforeAll(async () => {
  app = await startApp()
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: 'en-US' })
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** The Mini App frame of the current launch (a new one after each relaunch). */
async function miniApp(): Promise<Frame> {
  // The frame element is replaced on every relaunch: wait for one that is attached and loaded.
  for (let i = 0; i < 100; i++) {
    const handle = await page.$('[data-testid="miniapp-frame"]')
    const frame = await handle?.contentFrame().catch(() => null)
    if (frame && !frame.isDetached() && frame.url().includes('/app')) return frame
    await page.waitForTimeout(100)
  }
  throw new Error('no Mini App frame')
}

/** Relaunches the frame from the sandbox controls, as a customer tapping a t.me link would. */
async function launch(options: { person?: string; theme?: 'light' | 'dark'; startParam?: string } = {}) {
  return sandboxLaunch(page, options)
}

async function openSandbox(person = 'customer') {
  await page.goto(`${app.url}/sandbox`)
  await page.waitForSelector('[data-testid="who"]')
  if (person !== 'customer') {
    await page.selectOption('[data-testid="person"]', person)
    await page.waitForFunction((p) => document.querySelector('[data-testid="person"]') && (document.querySelector('[data-testid="person"]') as HTMLSelectElement).value === p, person)
  }
  return miniApp()
}

const bodyBackground = (frame: Frame) => frame.evaluate(() => getComputedStyle(document.body).backgroundColor)

describe('sandbox', () => {
  it('opens the Mini App signed in as the chosen person', async () => {
    const frame = await openSandbox()
    await frame.waitForSelector('text=Здравствуйте, Мария!')
    await frame.waitForSelector('text=Кофейня «Зерно»')
    await screenshot(page, 'sandbox-customer-ru-light')
    expect(await page.textContent('[data-testid="who"]')).toContain('Мария Соколова')

    const en = await sandboxLaunch(page, { person: 'customer_en' })
    await en.waitForSelector('text=Hello, Emma!')
    await en.waitForSelector('text=Zerno Coffee')
    expect(await en.evaluate(() => document.documentElement.lang)).toBe('en')
  })

  it('switches the theme live: Telegram colours become the page colours', async () => {
    const frame = await miniApp()
    await frame.waitForSelector('main.screen')
    const light = await bodyBackground(frame)
    expect(light).toBe('rgb(241, 241, 241)')
    await page.check('input[name="theme"][value="dark"]')
    await expect.poll(() => bodyBackground(frame), { timeout: 5000 }).toBe('rgb(35, 46, 60)')
    expect(await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--tg-theme-text-color').trim())).toBe('#f5f5f5')
    await screenshot(page, 'sandbox-customer-en-dark')
    await page.check('input[name="theme"][value="light"]')
    await expect.poll(() => bodyBackground(frame), { timeout: 5000 }).toBe(light)
  })

  it('draws the Main and Secondary buttons, and Main and Back presses navigate', async () => {
    await page.selectOption('[data-testid="person"]', 'customer')
    const frame = await miniApp()
    await frame.waitForSelector('text=Здравствуйте, Мария!')
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Открыть меню")')
    await page.waitForSelector('[data-testid="tg-secondary"]:has-text("Записаться")')
    expect(await page.locator('[data-testid="tg-back"]').count()).toBe(0)

    await page.click('[data-testid="tg-main"]')
    await frame.waitForSelector('[data-testid="product-grid"]')
    expect(new URL(frame.url()).pathname).toBe('/app/catalog')
    await page.waitForSelector('[data-testid="tg-back"]')
    // The catalog shows a Main button only once the cart has something: the home screen's is gone.
    await expect.poll(() => page.locator('[data-testid="tg-main"]').count()).toBe(0)

    await page.click('[data-testid="tg-back"]')
    await frame.waitForSelector('text=Здравствуйте, Мария!')
    await expect.poll(() => page.locator('[data-testid="tg-back"]').count()).toBe(0)
  })

  it('saves the language from the account screen with the Main button, confirming close meanwhile', async () => {
    const frame = await miniApp()
    await frame.click('a[href="/app/account"]')
    await frame.waitForSelector('fieldset')
    await frame.check('input[value="en"]')
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Сохранить")')
    await page.waitForSelector('text=Closing confirmation is on')
    await page.click('[data-testid="tg-main"]')
    await frame.waitForSelector('text=Language saved')
    await expect.poll(() => page.locator('text=Closing confirmation is on').count()).toBe(0)
  })

  it('shows what the bot sent after the person writes /start', async () => {
    await page.fill('[data-testid="chat-input"]', '/start')
    await page.click('[data-testid="chat-send"]')
    const greeting = page.locator('[data-testid="chat-message"].bot', { hasText: 'Здравствуйте! Это Кофейня «Зерно»' })
    await greeting.waitFor({ timeout: 15_000 })
    await greeting.locator('button', { hasText: 'Открыть приложение' }).waitFor()
    await screenshot(page, 'sandbox-chat-start')
  })

  it('opens the matching screen for a startapp deep link, and home for an unknown one', async () => {
    // Maria saved English as her language in the test above.
    let frame = await sandboxLaunch(page, { startParam: 'product_cappuccino' })
    await frame.waitForSelector('.product h1')
    expect(await frame.textContent('.product h1')).toBe('Cappuccino')
    expect(new URL(frame.url()).pathname).toBe('/app/product/cappuccino')
    await page.waitForSelector('[data-testid="tg-back"]')
    await page.click('[data-testid="tg-back"]')
    await frame.waitForSelector('text=Hello, Мария!')

    frame = await sandboxLaunch(page, { startParam: 'banana_42' })
    await frame.waitForSelector('text=Hello, Мария!')
    expect(new URL(frame.url()).pathname).toBe('/app')
  })

  it('shows the operator their role', async () => {
    const frame = await openSandbox('operator')
    await frame.waitForSelector('text=Здравствуйте, Олег!')
    await frame.click('a[href="/app/account"]')
    await frame.waitForSelector('text=Оператор')
  })
})

describe('outside Telegram', () => {
  it('shows a friendly page with a way in instead of a blank screen', async () => {
    const plain = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' })
    const errors: string[] = []
    plain.on('pageerror', (e) => errors.push(e.message))
    await plain.goto(`${app.url}/app`)
    await plain.waitForSelector('text=Open the app in Telegram')
    const link = plain.locator('a.button')
    expect(await link.getAttribute('href')).toBe('/sandbox')
    expect(errors).toEqual([])
    await screenshot(plain, 'miniapp-outside-telegram-en')
    expect(await seriousA11yViolations(plain)).toEqual([])
    await plain.close()
  })
})

describe('phone screenshots and accessibility', () => {
  /** The phone (390x844) with the Mini App and Telegram's buttons, as a customer sees it. */
  const phoneShot = (name: string) => page.locator('.phone').screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`) })

  for (const [person, lang] of [['customer', 'ru'], ['customer_en', 'en']] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`screens for ${lang} in ${theme}: screenshots and no serious axe violations`, async () => {
        await page.goto(`${app.url}/sandbox`)
        await page.waitForSelector('[data-testid="who"]')
        for (const startParam of ['', 'product_cappuccino', 'category_coffee', 'booking_cupping', 'form_7', 'order_42']) {
          const frame = await launch({ person, theme, startParam })
          await frame.waitForTimeout(300)
          const name = startParam ? startParam.split('_')[0] : 'home'
          if (name === 'home' || name === 'product') await phoneShot(`miniapp-${name}-${lang}-${theme}`)
          expect(await seriousA11yViolations(frame), `${lang} ${theme} ${name}`).toEqual([])
        }
        const frame = await launch({ person, theme })
        await frame.click('a[href="/app/account"]')
        await frame.waitForSelector('fieldset')
        await phoneShot(`miniapp-account-${lang}-${theme}`)
        expect(await seriousA11yViolations(frame), `${lang} ${theme} account`).toEqual([])
      })
    }
  }
})

describe('sandbox API', () => {
  it('answers a signed launch that /api/me accepts', async () => {
    const launch = await (await fetch(`${app.url}/api/sandbox/launch?person=owner&theme=dark&startParam=order_7`)).json()
    expect(launch.hash).toContain('tgWebAppVersion=8.0')
    expect(launch.hash).toContain('tgWebAppPlatform=tdesktop')
    const me = await fetch(`${app.url}/api/me`, { headers: { authorization: `tma ${launch.initData}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { firstName: 'Алексей', locale: 'ru' }, roles: ['owner'], startParam: 'order_7' })
  })

  it('validates bodies and refuses unknown people', async () => {
    const bad = await fetch(`${app.url}/api/sandbox/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'mallory', text: '' }) })
    expect(bad.status).toBe(400)
    expect((await bad.json()).code).toBe('validation_failed')
    const me = await fetch(`${app.url}/api/me`)
    expect(me.status).toBe(401)
    expect((await me.json()).code).toBe('auth_missing')
  })

  it('fails a payment the bot never pre-checks, and reports an unknown invoice', async () => {
    const res = await fetch(`${app.url}/api/sandbox/invoices/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'customer', link: 'https://t.me/$nope', outcome: 'paid' }) })
    expect(res.status).toBe(404)
    expect((await res.json()).code).toBe('not_found')
  })
})
