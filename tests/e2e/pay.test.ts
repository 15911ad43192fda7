import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, plainText, sandboxLaunch, SCREENSHOT_DIR, seriousA11yViolations } from '../helpers/browser'

/**
 * Paying in Telegram, through /sandbox in Debian Chromium: the Russian customer checks out with
 * 'Оплатить в Telegram', the invoice sheet opens, a cancel leaves the order awaiting payment with the
 * Pay button, and paying turns the order screen to paid by itself while the bot confirms in the chat.
 */
let app: RunningApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startApp()
  browser = await launchBrowser()
  page = await openSandboxPage(browser, app.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const plain = plainText
const mainButton = () => page.locator('[data-testid="tg-main"]')
const mainText = async () => plain(await mainButton().textContent().catch(() => ''))
const sheet = () => page.locator('[data-testid="payment-sheet"]')

describe('paying in Telegram: the Russian customer', () => {
  let frame: Frame
  let total = ''

  it('adds a product and checks out with «Оплатить в Telegram»: the payment sheet opens', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light', startParam: 'product_brazil-cerrado' })
    await page.waitForSelector('[data-testid="tg-main"]:has-text("В корзину")')
    await mainButton().click()
    await page.waitForSelector('[data-testid="tg-secondary"]')
    await page.click('[data-testid="tg-secondary"]')
    await frame.waitForSelector('[data-testid="cart-line"]')
    await mainButton().click()
    await frame.waitForSelector('h1:has-text("Оформление заказа")')
    await frame.fill('[data-testid="contact-phone"]', '+7 900 123-45-67')
    await frame.click('label:has-text("Оплатить в Telegram")')
    await frame.waitForSelector('[data-testid="checkout-total"]')
    total = plain(await frame.textContent('[data-testid="checkout-total"]')).replace(/^\D+/, '')
    await expect.poll(mainText).toMatch(/^Оформить · /)
    await phoneScreenshot(page, 'pay-checkout-ru-light')
    await mainButton().click()
    await sheet().waitFor({ timeout: 20_000 })
    await phoneScreenshot(page, 'pay-sheet-ru-light')
  })

  it('cancels the sheet: the order stays awaiting payment with the Pay button and the time left', async () => {
    await sheet().locator('.actions button').nth(1).click()
    await sheet().waitFor({ state: 'detached', timeout: 10_000 })
    await frame.waitForSelector('[data-testid="pay-note"]:has-text("Оплата отменена")')
    expect(await frame.textContent('[data-testid="order-status"]')).toBe('Ждёт оплаты')
    await frame.waitForSelector('[data-testid="order-payment"] >> text=осталось')
    await expect.poll(mainText).toMatch(/^Оплатить · \d/)
    if (total) expect(await mainText()).toContain(total.split(' ')[0]!)
    await phoneScreenshot(page, 'pay-cancelled-ru-light')
    const violations = await seriousA11yViolations(frame)
    expect(violations.map((v) => v.id)).toEqual([])

    // While it awaits payment the screen re-reads the order every 2 s, without a manual refresh.
    const orderPath = new URL(frame.url()).pathname.replace('/app/', '/api/')
    const polled = (r: { url: () => string; method: () => string }) => r.method() === 'GET' && new URL(r.url()).pathname === orderPath
    await page.waitForRequest(polled, { timeout: 5000 })
    await page.waitForRequest(polled, { timeout: 5000 })
  })

  it('a failed payment says so humanly and offers the same retry', async () => {
    await mainButton().click()
    await sheet().waitFor({ timeout: 20_000 })
    await sheet().locator('.actions button').nth(2).click()
    await sheet().waitFor({ state: 'detached', timeout: 10_000 })
    await frame.waitForSelector('[data-testid="pay-note"][role="alert"]:has-text("Оплата не прошла")')
    expect(await frame.textContent('[data-testid="order-status"]')).toBe('Ждёт оплаты')
    await expect.poll(mainText).toMatch(/^Оплатить · \d/)

    // The server refusing the invoice is shown in words (here played: the window ran out).
    await page.route('**/api/orders/*/invoice', (route) => route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ code: 'order_expired', message: 'expired' }) }), { times: 1 })
    await mainButton().click()
    await frame.waitForSelector('[data-testid="pay-note"][role="alert"]:has-text("Время на оплату истекло")')
    expect(await sheet().count()).toBe(0)
  })

  it('pays on the second try: the screen turns to paid by itself and the bot confirms in the chat', async () => {
    await mainButton().click()
    await sheet().waitFor({ timeout: 20_000 })
    await sheet().locator('button.pay').click()
    await frame.waitForSelector('[data-testid="order-status"]:has-text("Оплачен")', { timeout: 20_000 })
    await frame.waitForSelector('[data-testid="order-paid"]:has-text("Оплачено")')
    await expect.poll(() => mainButton().isVisible()).toBe(false)
    await page.locator('[data-testid="chat-message"].bot', { hasText: /оплачен/ }).first().waitFor({ timeout: 20_000 })
    await phoneScreenshot(page, 'pay-paid-ru-light')

    // Paid: no more polling.
    const orderPath = new URL(frame.url()).pathname.replace('/app/', '/api/')
    let polls = 0
    const count = (r: { url: () => string; method: () => string }) => void (r.method() === 'GET' && new URL(r.url()).pathname === orderPath && polls++)
    page.on('request', count)
    await page.waitForTimeout(4500)
    page.off('request', count)
    expect(polls).toBe(0)
  })
})

describe("paying with the address typed in Telegram's form: the English customer", () => {
  let frame: Frame
  const fillAddress = async (address: Record<string, string>) => {
    for (const [name, value] of Object.entries(address)) await sheet().locator(`input[name="${name}"]`).fill(value)
    await sheet().locator('button.ask').click()
  }

  it('checks out with «Address in Telegram»: the sheet asks for the address, and the bot refuses one outside the zones', async () => {
    frame = await sandboxLaunch(page, { person: 'customer_en', theme: 'light', startParam: 'product_brazil-cerrado' })
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Add to cart")')
    await mainButton().click()
    await page.waitForSelector('[data-testid="tg-secondary"]')
    await page.click('[data-testid="tg-secondary"]')
    await frame.waitForSelector('[data-testid="cart-line"]')
    await mainButton().click()
    await frame.waitForSelector('h1:has-text("Checkout")')
    await frame.fill('[data-testid="contact-phone"]', '+44 20 7946 0958')
    await frame.click('[data-testid="delivery-telegram-shipping"]')
    await frame.waitForSelector('text=payment form')
    // Only paying in Telegram is offered with it; the delivery price is set in the form.
    await expect.poll(async () => frame.locator('input[name="payment"]').count()).toBe(1)
    await expect.poll(mainText).toMatch(/^Place order · /)
    await phoneScreenshot(page, 'pay-shipping-checkout-en-light')
    await mainButton().click()
    await sheet().waitFor({ timeout: 20_000 })
    await sheet().locator('[data-testid="shipping-form"]').waitFor()
    expect(await sheet().locator('button.pay').isDisabled()).toBe(true)
    await fillAddress({ country_code: 'RU', city: 'Saint Petersburg', post_code: '191186', street_line1: '1 Nevsky Prospekt' })
    await sheet().locator('[data-testid="shipping-error"]:has-text("do not deliver")').waitFor({ timeout: 15_000 })
    expect(await sheet().locator('button.pay').isDisabled()).toBe(true)
    await page.screenshot({ path: `${SCREENSHOT_DIR}/pay-shipping-refused-en.png` })
  })

  it('offers the zone price for a central Moscow address and adds it to the total', async () => {
    await fillAddress({ country_code: 'RU', city: 'Moscow', post_code: '101000', street_line1: '17 Pokrovka St', street_line2: 'flat 5' })
    const option = sheet().locator('[data-testid="shipping-options"] label')
    await option.first().waitFor({ timeout: 15_000 })
    expect(await option.count()).toBe(1)
    expect(plain(await option.first().textContent())).toMatch(/Centre.*190/)
    expect(plain(await sheet().locator('[data-testid="sheet-total"]').textContent())).toMatch(/1,180/)
    await page.screenshot({ path: `${SCREENSHOT_DIR}/pay-shipping-options-en.png` })
  })

  it('a pending payment shows the pending message while the screen keeps following the order', async () => {
    await sheet().locator('button.pending').click()
    await sheet().waitFor({ state: 'detached', timeout: 15_000 })
    await frame.waitForSelector('[data-testid="pay-note"]:has-text("being confirmed")')
    expect(await frame.textContent('[data-testid="order-status"]')).toBe('Awaiting payment')
    // Telegram is still taking the money: no second Pay button meanwhile, and the screen keeps re-reading the order.
    await expect.poll(() => mainButton().isVisible()).toBe(false)
    const orderPath = new URL(frame.url()).pathname.replace('/app/', '/api/')
    await page.waitForRequest((r) => r.method() === 'GET' && new URL(r.url()).pathname === orderPath, { timeout: 5000 })
    await phoneScreenshot(page, 'pay-pending-en-light')
  })

  it('ends paid by itself, with the delivery price in the total and the address from the form on the order', async () => {
    await frame.waitForSelector('[data-testid="order-status"]:has-text("Paid")', { timeout: 20_000 })
    expect(plain(await frame.textContent('[data-testid="order-receive"]'))).toBe('17 Pokrovka St, flat 5, Moscow, 101000, RU')
    expect(plain(await frame.textContent('.items .total'))).toMatch(/1,180/)
    await page.locator('[data-testid="chat-message"].bot', { hasText: /paid/i }).first().waitFor({ timeout: 20_000 })
    await phoneScreenshot(page, 'pay-shipping-paid-en-light')
  })
})
