import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { SCREENSHOT_DIR, launchBrowser, phoneScreenshot, sandboxLaunch, sandboxMiniApp, sandboxSwitchPerson, screenshot, seriousA11yViolations } from '../helpers/browser'
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
const miniApp = () => sandboxMiniApp(page)

/** Relaunches the frame from the sandbox controls, as a customer tapping a t.me link would. */
async function launch(options: { person?: string; theme?: 'light' | 'dark'; startParam?: string } = {}) {
  return sandboxLaunch(page, options)
}

async function openSandbox(person = 'customer') {
  await page.goto(`${app.url}/sandbox`)
  await page.waitForSelector('[data-testid="who"]')
  return person === 'customer' ? miniApp() : sandboxSwitchPerson(page, person)
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
    const frame = await launch({ person: 'customer' })
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

  it('leaves no button of the page before when the app loads anew, the Back button included', async () => {
    const frame = await launch({ person: 'customer' })
    // Home sets both buttons, and Telegram keeps drawing them while a page loads (a link that opens the app anew).
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Открыть меню")')
    await page.waitForSelector('[data-testid="tg-secondary"]:has-text("Записаться")')
    await frame.goto(`${app.url}/app/orders`)
    await frame.waitForSelector('main.screen.orders')
    await expect.poll(() => page.locator('[data-testid="tg-main"], [data-testid="tg-secondary"]').count()).toBe(0)
    await page.waitForSelector('[data-testid="tg-back"]')
    // A screen with buttons loaded the same way still gets them, and home has no Back button.
    await frame.goto(`${app.url}/app`)
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Открыть меню")')
    await page.waitForSelector('[data-testid="tg-secondary"]:has-text("Записаться")')
    await expect.poll(() => page.locator('[data-testid="tg-back"]').count()).toBe(0)
  })

  it('names the catalog after the business at once on a later launch, before the profile answers', async () => {
    const frame = await launch({ person: 'customer' })
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Открыть меню")') // the home has the profile now
    // A deep link on a network where the profile's answer never comes: the copy kept from the
    // launch before names the screen, not the generic "Каталог".
    const held: Array<() => void> = []
    await page.route('**/api/business', (route) => new Promise<void>((resolve) => held.push(resolve)).then(() => route.abort().catch(() => {})))
    try {
      await frame.goto(`${app.url}/app/catalog`)
      await frame.waitForSelector('[data-testid="product-grid"]')
      await expect.poll(() => frame.locator('main h1').first().textContent(), { timeout: 5000 }).toBe('Меню')
      expect(held.length).toBeGreaterThan(0) // it did ask for a fresh copy, which has not come
    } finally {
      held.forEach((release) => release())
      await page.unroute('**/api/business')
    }
    // Back to the home screen for the tests after this one.
    await (await launch({ person: 'customer' })).waitForSelector('text=Здравствуйте, Мария!')
  })

  it('applies the language picked on the account screen at once, with nothing left to save', async () => {
    const frame = await miniApp()
    await frame.click('a[href="/app/account"]')
    await frame.waitForSelector('fieldset')
    await frame.check('input[value="en"]')
    await frame.waitForSelector('text=Language saved')
    expect(await page.locator('[data-testid="tg-main"]').count()).toBe(0)
    expect(await page.locator('text=Closing confirmation is on').count()).toBe(0)
  })

  it('shows what the bot sent after the person writes /start', async () => {
    await page.fill('[data-testid="chat-input"]', '/start')
    await page.click('[data-testid="chat-send"]')
    // Мария picked English in the app above: the bot writes to her in English too.
    const greeting = page.locator('[data-testid="chat-message"].bot', { hasText: 'Hello! This is Zerno Coffee' })
    await greeting.waitFor({ timeout: 15_000 })
    await greeting.locator('button', { hasText: 'Open the app' }).waitFor()
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

/** The insets the Mini App got from the sandbox, as the CSS variables the SDK binds. */
const insetVars = (frame: Frame) =>
  frame.evaluate(() => {
    const style = getComputedStyle(document.documentElement)
    const names = ['safe-area-inset-top', 'safe-area-inset-bottom', 'content-safe-area-inset-top', 'content-safe-area-inset-bottom']
    return Object.fromEntries(names.map((name) => [name, style.getPropertyValue(`--tg-${name}`).trim()]))
  })
const insets = (safeTop: number, safeBottom: number, contentTop: number) => ({
  'safe-area-inset-top': `${safeTop}px`,
  'safe-area-inset-bottom': `${safeBottom}px`,
  'content-safe-area-inset-top': `${contentTop}px`,
  'content-safe-area-inset-bottom': '0px',
})
const top = (frame: Frame, selector: string) => frame.evaluate((s) => document.querySelector(s)!.getBoundingClientRect().top, selector)
const fullscreenMark = (frame: Frame) => frame.evaluate(() => document.documentElement.hasAttribute('data-tg-fullscreen'))

describe('safe areas and fullscreen (phone with a notch)', () => {
  // Status bar 47 and home indicator 34 (SANDBOX_DEVICES.notch); Telegram's controls 46 in fullscreen.
  it('keeps the home screen clear of the notch and of Telegram\'s controls in fullscreen', async () => {
    await page.goto(`${app.url}/sandbox?device=notch&fullscreen=1`)
    await page.waitForSelector('[data-testid="who"]')
    const frame = await launch({ person: 'customer_en' })
    const src = await page.getAttribute('[data-testid="miniapp-frame"]', 'src')
    expect(src).toContain('tgWebAppFullscreen=1')
    expect(src).toContain('tgWebAppPlatform=ios')
    // Home shows the Main button: Telegram's bottom bar keeps the home indicator off the app.
    await expect.poll(() => insetVars(frame), { timeout: 10_000 }).toEqual(insets(47, 0, 46))
    expect(await fullscreenMark(frame)).toBe(true)
    expect(await top(frame, 'main.screen')).toBeGreaterThanOrEqual(47 + 46)
    expect(await top(frame, 'h1')).toBeGreaterThan(47 + 46)
    await phoneScreenshot(page, 'miniapp-home-notch-fullscreen-en')
    expect(await seriousA11yViolations(frame)).toEqual([])
  })

  it('keeps a scrolled screen\'s sticky bar under the controls and its end above the home indicator', async () => {
    const frame = await miniApp()
    await frame.click('a[href="/app/catalog"]')
    await frame.waitForSelector('[data-testid="product-grid"]')
    // No bottom bar on the catalog while the cart is empty: the home indicator is over the app now.
    await expect.poll(() => insetVars(frame)).toEqual(insets(47, 34, 46))
    await frame.evaluate(() => window.scrollTo(0, 600))
    await expect.poll(() => frame.evaluate(() => window.scrollY)).toBeGreaterThan(0)
    expect(await top(frame, '.top')).toBe(47 + 46)
    await phoneScreenshot(page, 'miniapp-catalog-scrolled-notch-fullscreen-en')
    // Scrolled to the very end (the catalog loads more as it nears it), the screen stops above the home indicator.
    const scrollToEnd = () => frame.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight)
      return document.documentElement.scrollHeight
    })
    let height = 0
    for (let i = 0; i < 10 && height !== (height = await scrollToEnd()); i++) await page.waitForTimeout(700)
    const gap = await frame.evaluate(() => document.documentElement.scrollHeight - (document.querySelector('main.screen')!.getBoundingClientRect().bottom + window.scrollY))
    expect(gap).toBeGreaterThanOrEqual(34 - 0.5)
    await phoneScreenshot(page, 'miniapp-catalog-end-notch-fullscreen-en')
    expect(await seriousA11yViolations(frame)).toEqual([])
  })

  it('tells the app when the device or fullscreen changes: a plain device has no insets', async () => {
    const frame = await miniApp()
    await frame.evaluate(() => window.scrollTo(0, 0))
    const viewportMatchesFrame = async () => {
      const frameHeight = await page.$eval('[data-testid="miniapp-frame"]', (f) => (f as HTMLIFrameElement).clientHeight)
      return (await frame.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--tg-viewport-height').trim())) === `${frameHeight}px`
    }
    await page.selectOption('[data-testid="device"]', 'plain')
    // Telegram's controls still float over the app in fullscreen, whatever the device.
    await expect.poll(() => insetVars(frame)).toEqual(insets(0, 0, 46))
    await page.uncheck('[data-testid="fullscreen"]')
    await expect.poll(() => insetVars(frame)).toEqual(insets(0, 0, 0))
    await expect.poll(() => fullscreenMark(frame)).toBe(false)
    await expect.poll(viewportMatchesFrame).toBe(true)
    expect(await top(frame, 'main.screen')).toBe(0)

    // Back to the notch outside fullscreen: Telegram's header is below the status bar, the home indicator over the app.
    await page.selectOption('[data-testid="device"]', 'notch')
    await expect.poll(() => insetVars(frame)).toEqual(insets(0, 34, 0))
    await expect.poll(viewportMatchesFrame).toBe(true)
    await phoneScreenshot(page, 'miniapp-catalog-notch-en')

    // The app asks for fullscreen itself (web_app_request_fullscreen): the sandbox enters it and says so.
    await frame.evaluate(() => window.parent.postMessage(JSON.stringify({ eventType: 'web_app_request_fullscreen', eventData: {} }), window.location.origin))
    await expect.poll(() => page.isChecked('[data-testid="fullscreen"]')).toBe(true)
    await expect.poll(() => insetVars(frame)).toEqual(insets(47, 34, 46))
    await expect.poll(() => fullscreenMark(frame)).toBe(true)
    await expect.poll(viewportMatchesFrame).toBe(true)
    const sent = await page.locator('.events li.sent code').allTextContents()
    expect(sent).toEqual(expect.arrayContaining(['fullscreen_changed', 'safe_area_changed', 'content_safe_area_changed', 'viewport_changed']))
  })

  it('keeps room for Telegram\'s controls before the insets arrive when launched in fullscreen', async () => {
    // Opened straight from a fullscreen launch URL with no Telegram to answer: the insets never come,
    // as in the moment before the SDK has loaded. env(safe-area-inset-*) is all Chromium can say (0).
    const launch = await (await fetch(`${app.url}/api/sandbox/launch?person=customer_en`)).json()
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' })
    await phone.goto(`${app.url}/app#${launch.hash}&tgWebAppFullscreen=1`)
    await phone.waitForSelector('main.screen h1')
    expect(await phone.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--tg-safe-area-inset-top'))).toBe('')
    expect(await phone.evaluate(() => getComputedStyle(document.querySelector('.tma')!).paddingTop)).toBe('46px')
    expect(await phone.evaluate(() => document.querySelector('h1')!.getBoundingClientRect().top)).toBeGreaterThan(46)
    await phone.close()
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
        // Each person's own language: Мария picked English in a test above, and a saved choice wins over Telegram's.
        const signed = await (await fetch(`${app.url}/api/sandbox/launch?person=${person}`)).json()
        const saved = await fetch(`${app.url}/api/me`, { method: 'PATCH', headers: { authorization: `tma ${signed.initData}`, 'content-type': 'application/json' }, body: JSON.stringify({ locale: lang }) })
        expect(saved.status).toBe(200)
        await page.goto(`${app.url}/sandbox`)
        await page.waitForSelector('[data-testid="who"]')
        for (const startParam of ['', 'product_cappuccino', 'category_coffee', 'booking_cupping', 'form_7', 'order_42']) {
          const frame = await launch({ person, theme, startParam })
          await frame.waitForTimeout(300)
          const name = startParam ? startParam.split('_')[0] : 'home'
          if (name === 'home') await frame.waitForSelector(lang === 'ru' ? 'text=Здравствуйте' : 'text=Hello')
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
