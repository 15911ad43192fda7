import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, plainText, sandboxLaunch, sandboxMiniApp, seriousA11yViolations } from '../helpers/browser'

/**
 * The storefront as a customer uses it in Telegram, through /sandbox in Debian Chromium: catalog,
 * search, product card, cart, checkout (with a lost answer retried under the same idempotency key),
 * the order screen and the bot's chat message. Screenshots of every screen in ru/en, light/dark.
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
const tileNames = (frame: Frame) => frame.locator('[data-testid="product-grid"] .name').allTextContents()

async function expectAccessible(frame: Frame, what: string) {
  const violations = await seriousA11yViolations(frame)
  expect(violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })), what).toEqual([])
}

describe('storefront: the Russian customer orders a cappuccino', () => {
  let frame: Frame
  let orderId = ''

  it('browses the catalog, filters by a section chip and finds products by word forms and typos', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light' })
    await frame.click('a[href="/app/catalog"]')
    await frame.waitForSelector('[data-testid="product-grid"] >> text=Капучино')
    await frame.waitForSelector('nav >> text=Завтраки')
    await phoneScreenshot(page, 'storefront-catalog-ru-light')
    await expectAccessible(frame, 'catalog')

    await frame.click('nav >> text=Завтраки')
    // Сырники are in the unfiltered list too: wait for the filtered one (no coffee in it).
    await expect.poll(async () => { const names = await tileNames(frame); return names.includes('Сырники со сметаной') && !names.includes('Капучино') }, { timeout: 10_000 }).toBe(true)
    expect(new URL(frame.url()).pathname).toBe('/app/catalog/breakfast')

    // Quick add from the tile: the cart badge counts it.
    await frame.click('button[aria-label="Добавить «Сырники со сметаной» в корзину"]')
    await frame.waitForSelector('[data-testid="cart-count"]:has-text("1")')
    await page.waitForSelector('[data-testid="tg-main"]:has-text("Корзина · 1")')

    await frame.click('nav >> text=Всё')
    // The filter sheet: up to 200 ₽, in stock only.
    await frame.click('[data-testid="filters"]')
    await frame.fill('[data-testid="filter-sheet"] input[inputmode="numeric"] >> nth=1', '200')
    await frame.check('[data-testid="filter-sheet"] label:has-text("Только в наличии") input')
    await phoneScreenshot(page, 'storefront-filters-ru-light')
    await expectAccessible(frame, 'filter sheet')
    await frame.click('[data-testid="filter-apply"]')
    // Both are in the unfiltered list too: wait until the filtered grid has tiles and the ones over 200 ₽ or sold out have gone.
    await expect.poll(async () => { const names = await tileNames(frame); return names.length > 0 && !names.includes('Синнабон с корицей') && !names.includes('Капучино') }, { timeout: 10_000 }).toBe(true)
    expect(await tileNames(frame)).toEqual(expect.arrayContaining(['Американо', 'Круассан']))
    expect(new URL(frame.url()).search).toContain('priceMax=20000')
    await frame.click('[data-testid="filters"]')
    await frame.click('[data-testid="filter-sheet"] button:has-text("Сбросить")')

    await frame.fill('[data-testid="catalog-search"]', 'сырники')
    await expect.poll(() => tileNames(frame), { timeout: 10_000 }).toEqual(['Сырники со сметаной'])
    await frame.fill('[data-testid="catalog-search"]', 'капучно')
    await expect.poll(() => tileNames(frame), { timeout: 10_000 }).toContain('Капучино')
  })

  it('opens the product, picks oat milk and adds two to the cart with the Main button', async () => {
    await frame.click('[data-testid="product-grid"] a:has-text("Капучино")')
    await frame.waitForSelector('h1:has-text("Капучино")')
    await expect.poll(mainText).toBe('В корзину · 220 ₽')
    await frame.click('label:has-text("Овсяное")')
    await expect.poll(mainText).toBe('В корзину · 280 ₽')
    await frame.click('[data-testid="qty-plus"]')
    await expect.poll(mainText).toBe('В корзину · 560 ₽')
    await frame.evaluate(() => window.scrollTo(0, 0))
    await phoneScreenshot(page, 'storefront-product-ru-light')
    await expectAccessible(frame, 'product')

    await mainButton().click()
    await frame.waitForSelector('text=Добавлено в корзину')
    await page.waitForSelector('[data-testid="tg-secondary"]:has-text("Корзина · 3")')
  })

  it('changes quantities in the cart at once and checks out', async () => {
    await page.click('[data-testid="tg-secondary"]')
    await frame.waitForSelector('[data-testid="cart-line"]:has-text("Овсяное")')
    expect(plain(await frame.textContent('[data-testid="cart-total"]'))).toBe('950 ₽')
    const cappuccino = frame.locator('[data-testid="cart-line"]', { hasText: 'Капучино' })
    await cappuccino.locator('[data-testid="qty-minus"]').click()
    // Shown before the server answers, and still so after it has.
    expect(await cappuccino.locator('[data-testid="qty"]').textContent()).toBe('1')
    await expect.poll(async () => plain(await frame.textContent('[data-testid="cart-total"]'))).toBe('670 ₽')
    await expect.poll(mainText).toBe('Оформить заказ · 670 ₽')

    // A change the server never confirms is put back, with a reason.
    await page.route('**/api/cart/items/*', (route) => route.abort('connectionreset'), { times: 1 })
    await cappuccino.locator('[data-testid="qty-plus"]').click()
    await frame.waitForSelector('[role="alert"]:has-text("Вернули как было")')
    expect(await cappuccino.locator('[data-testid="qty"]').textContent()).toBe('1')
    expect(plain(await frame.textContent('[data-testid="cart-total"]'))).toBe('670 ₽')
    await frame.click('button:has-text("Понятно")')
    await phoneScreenshot(page, 'storefront-cart-ru-light')
    await expectAccessible(frame, 'cart')
    await mainButton().click()
    await frame.waitForSelector('h1:has-text("Оформление заказа")')
  })

  it('places the order with pickup and payment at pickup; a lost answer is retried without a second order', async () => {
    await frame.waitForSelector('label:has-text("Кофейня на Покровке") input:checked')
    expect(await frame.inputValue('[data-testid="contact-name"]')).toBe('Мария Соколова')
    await frame.click('label:has-text("Наличными при получении")')
    await expect.poll(mainText).toBe('Оформить · 670 ₽')

    // Without a phone the form says what is missing and keeps everything else.
    await mainButton().click()
    await frame.waitForSelector('text=Укажите телефон')
    await frame.fill('[data-testid="contact-phone"]', '+7 900 123-45-67')
    await page.waitForSelector('text=Closing confirmation is on')
    await phoneScreenshot(page, 'storefront-checkout-ru-light')
    await expectAccessible(frame, 'checkout')

    // The server creates the order but the answer never reaches the phone.
    let firstKey = ''
    await page.route('**/api/orders', async (route) => {
      firstKey = route.request().headers()['idempotency-key'] ?? ''
      const response = await route.fetch()
      orderId = String((await response.json()).id)
      await route.abort('connectionreset')
    })
    await mainButton().click()
    await frame.waitForSelector('text=Заказ не оформлен')
    await page.unroute('**/api/orders')
    expect(firstKey.length).toBeGreaterThanOrEqual(8)
    expect(orderId).not.toBe('')
    expect(await frame.inputValue('[data-testid="contact-phone"]')).toBe('+7 900 123-45-67')

    // The retry carries the same key: the server answers with the order it already made.
    const retry = page.waitForRequest('**/api/orders')
    await mainButton().click()
    expect((await retry).headers()['idempotency-key']).toBe(firstKey)
    await frame.waitForSelector('text=Заказ оформлен!')
    expect(new URL(frame.url()).pathname).toBe(`/app/orders/${orderId}`)
    await expect.poll(() => page.locator('text=Closing confirmation is on').count()).toBe(0)
  })

  it('shows the order with its status and timeline, and the bot confirms in the chat', async () => {
    expect(await frame.textContent('[data-testid="order-status"]')).toBe('Принят')
    await frame.waitForSelector('[data-testid="order-timeline"] >> text=Принят')
    await frame.waitForSelector('text=Наличными при получении')
    await phoneScreenshot(page, 'storefront-order-ru-light')
    await expectAccessible(frame, 'order')
    const message = page.locator('[data-testid="chat-message"].bot', { hasText: /Заказ .+ принят на 670/ })
    await message.waitFor({ timeout: 20_000 })
  })

  it('lists the order and cancels it while it is new', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light' })
    await frame.click('a[href="/app/orders"]')
    await frame.waitForSelector(`a[href="/app/orders/${orderId}"]`)
    // One order, not two, despite the retry.
    expect(await frame.locator('a[href^="/app/orders/"]').count()).toBe(1)
    await frame.click(`a[href="/app/orders/${orderId}"]`)
    await frame.click('[data-testid="order-cancel"]')
    await frame.click('[data-testid="order-cancel-yes"]')
    await frame.waitForSelector('[data-testid="order-status"]:has-text("Отменён")')
    expect(await frame.locator('[data-testid="order-cancel"]').count()).toBe(0)
  })
})

describe('storefront screens in ru/en, light/dark: screenshots and no serious axe violations', () => {
  for (const [person, lang] of [['customer', 'ru'], ['customer_en', 'en']] as const) {
    for (const theme of ['dark', 'light'] as const) {
      if (lang === 'ru' && theme === 'light') continue // shot in the flow above
      it(`${lang} ${theme}`, async () => {
        const add = lang === 'ru' ? 'В корзину' : 'Add to cart'
        let frame = await sandboxLaunch(page, { person, theme, startParam: 'category_coffee' })
        await frame.waitForSelector('[data-testid="product-grid"] .name')
        await phoneScreenshot(page, `storefront-catalog-${lang}-${theme}`)
        await expectAccessible(frame, `catalog ${lang} ${theme}`)

        frame = await sandboxLaunch(page, { person, theme, startParam: 'product_brazil-cerrado' })
        await page.waitForSelector(`[data-testid="tg-main"]:has-text("${add}")`)
        await phoneScreenshot(page, `storefront-product-${lang}-${theme}`)
        await expectAccessible(frame, `product ${lang} ${theme}`)
        await mainButton().click()
        await page.waitForSelector('[data-testid="tg-secondary"]')
        await page.click('[data-testid="tg-secondary"]')
        await frame.waitForSelector('[data-testid="cart-line"]')
        await phoneScreenshot(page, `storefront-cart-${lang}-${theme}`)
        await expectAccessible(frame, `cart ${lang} ${theme}`)

        await mainButton().click()
        await frame.waitForSelector('[data-testid="contact-phone"]')
        await frame.fill('[data-testid="contact-phone"]', '+44 7700 900123')
        // Paying in Telegram is preselected; these screens follow an order paid at pickup.
        await frame.click('label:has(input[name="payment"][value="cash_on_delivery"])')
        await frame.waitForSelector('[data-testid="checkout-total"]')
        await phoneScreenshot(page, `storefront-checkout-${lang}-${theme}`)
        await expectAccessible(frame, `checkout ${lang} ${theme}`)
        await mainButton().click()
        await frame.waitForSelector('[data-testid="order-timeline"]')
        await phoneScreenshot(page, `storefront-order-${lang}-${theme}`)
        await expectAccessible(frame, `order ${lang} ${theme}`)
        expect(await sandboxMiniApp(page)).toBeTruthy()
      })
    }
  }
})
