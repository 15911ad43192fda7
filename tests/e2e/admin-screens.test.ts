import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, screenshot, seriousA11yViolations } from '../helpers/browser'
import { callAs, pageOverflow, sandboxAdminLink, sandboxBotReady, sandboxOrder, sandboxPerson } from '../helpers/admin'
import { eventually } from '../helpers/eventually'

/**
 * Every /admin screen on a phone (390x844) and a desktop (1440x900), light and dark, Russian and
 * English, against the built app in sandbox mode with real data (orders, a card payment with a
 * partial refund, audit entries): each is screenshot (`admin-<screen>-<size>-<scheme>-<lang>.png`),
 * checked by axe (no serious or critical findings, colour contrast included) and checked for the
 * page scrolling sideways (never).
 */
let app: RunningApp
let browser: Browser
let cookies: Cookie[]
const ids = { order: 0, payment: 0, product: 0, conversation: 0 }

/** Whatever JSON the server answered (as `res.json()` gives it). */
type Json = ReturnType<typeof JSON.parse>
const call = (path: string, who: { headers: Record<string, string> }, init?: Parameters<typeof callAs>[3]) => callAs(app.url, who, path, init)

beforeAll(async () => {
  // The sandbox as `npm run dev` runs it: its staff may act (a production start without a token
  // is the read-only public demo, tests/e2e/production-defaults.test.ts).
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  await sandboxBotReady(app.url)
  const owner = await sandboxPerson(app.url, 'owner')
  ids.order = (await sandboxOrder(app.url, 'cash_on_delivery', 'cappuccino')).id
  const paid = await sandboxOrder(app.url, 'telegram', 'flat-white')
  const payment = await eventually(async () => (await call(`/api/admin/payments?q=${paid.number}`, owner)).items[0], 15_000)
  ids.payment = payment.id
  await call(`/api/admin/payments/${payment.id}/refund`, owner, { method: 'POST', body: { amountMinor: 5000, reason: 'Одна чашка остыла', providerReference: 'rf-100200' }, headers: { 'idempotency-key': `screens-refund-${payment.id}` } })
  await call(`/api/admin/orders/${ids.order}/status`, owner, { method: 'POST', body: { status: 'in_progress', note: 'Готовим' } })
  const products = (await call('/api/admin/catalog/products', owner)).items
  ids.product = products.find((p: Json) => p.slug === 'cappuccino').id
  // A support conversation: the customer writes to the bot, the owner answers and leaves a note.
  await fetch(`${app.url}/api/sandbox/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'customer', text: 'Здравствуйте! Можно заменить молоко на овсяное в заказе?' }) })
  ids.conversation = (await eventually(async () => (await call('/api/admin/support/conversations', owner)).items[0], 15_000)).id
  await call(`/api/admin/support/conversations/${ids.conversation}/messages`, owner, { method: 'POST', body: { text: 'Да, заменим. Доплата не нужна.' }, headers: { 'idempotency-key': 'screens-support-reply' } })
  await call(`/api/admin/support/conversations/${ids.conversation}/messages`, owner, { method: 'POST', body: { text: 'Постоянный клиент', note: true }, headers: { 'idempotency-key': 'screens-support-note' } })

  browser = await launchBrowser()
  const signIn = await browser.newContext()
  const page = await signIn.newPage()
  await page.goto(await sandboxAdminLink(app.url, 'owner'))
  await page.waitForURL(`${app.url}/admin`)
  cookies = await signIn.cookies()
  await signIn.close()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

type Screen = { name: string; path: string; ready: string; open?: (page: Page) => Promise<void> }
const SCREENS: Screen[] = [
  // The orders made in beforeAll are "today" until midnight: a run that crosses it finds the day empty.
  { name: 'dashboard', path: '/admin', ready: '[aria-labelledby="today-h"] :is([data-testid="today-total"], [data-state="empty"])' },
  { name: 'orders', path: '/admin/orders', ready: '[data-testid="orders-table"] tbody tr' },
  { name: 'order', path: `/admin/orders/:order`, ready: '[data-testid="timeline"]' },
  { name: 'bookings', path: '/admin/bookings', ready: 'h2.day-title' },
  { name: 'payments', path: '/admin/payments', ready: '[data-testid="payments-table"] tbody tr' },
  { name: 'payment', path: `/admin/payments/:payment`, ready: '[data-testid="refunds-table"]' },
  { name: 'payment-refund', path: `/admin/payments/:payment`, ready: '[data-testid="refund-open"]', open: (page) => page.getByTestId('refund-open').click() },
  { name: 'reports', path: '/admin/payments/reports', ready: '[data-testid="report-totals"]' },
  { name: 'catalog', path: '/admin/catalog', ready: '[data-testid="products-table"] tbody tr' },
  { name: 'catalog-stock', path: '/admin/catalog', ready: '[data-testid="products-table"] tbody tr', open: (page) => page.locator('tr[data-slug="cappuccino"] button').click() },
  { name: 'product', path: `/admin/catalog/products/:product`, ready: 'input[name="price"]' },
  { name: 'categories', path: '/admin/catalog/categories', ready: '[data-testid="categories-table"] tbody tr' },
  { name: 'category-editor', path: '/admin/catalog/categories', ready: '[data-testid="categories-table"] tbody tr', open: (page) => page.locator('tr[data-category="coffee"] button').click() },
  { name: 'delivery', path: '/admin/delivery', ready: '[data-testid="zones-table"] tbody tr' },
  { name: 'delivery-zone', path: '/admin/delivery', ready: '[data-testid="zones-table"] tbody tr', open: (page) => page.getByTestId('zones-table').locator('tbody tr button').first().click() },
  { name: 'customers', path: '/admin/customers', ready: '[data-testid="customers-table"] tbody tr' },
  // The sandbox's Russian demo customer (Мария Соколова).
  { name: 'customer', path: '/admin/customers/9000000001', ready: '[data-testid="customer-profile"]' },
  { name: 'business', path: '/admin/business', ready: '[data-testid="business-form"] input[name="name_ru"]' },
  { name: 'legal', path: '/admin/legal', ready: '[data-testid="legal-form"] input' },
  { name: 'integrations', path: '/admin/integrations', ready: '[data-connector="crm"]' },
  { name: 'broadcasts', path: '/admin/broadcasts', ready: '[data-testid="broadcast-new"]' },
  { name: 'support', path: '/admin/support', ready: '[data-testid="support-inbox"] tbody tr' },
  { name: 'support-conversation', path: '/admin/support/:conversation', ready: '[data-testid="support-messages"] li' },
  { name: 'forms', path: '/admin/forms', ready: '[data-testid="forms-table"] tbody tr' },
  { name: 'form-editor', path: '/admin/forms', ready: '[data-testid="forms-table"] tbody tr', open: (page) => page.getByTestId('forms-table').locator('tbody tr button').first().click() },
  { name: 'form-submissions', path: '/admin/forms/submissions', ready: '[data-testid="submissions-export"]' },
  { name: 'users', path: '/admin/users', ready: '[data-testid="users-table"] tbody tr' },
  { name: 'audit', path: '/admin/audit', ready: '[data-testid="audit-table"] tbody tr', open: (page) => page.locator('tr[data-action="payment.refund"]').getByRole('button').click() },
]
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } } as const

async function openContext(size: keyof typeof VIEWPORTS, scheme: 'light' | 'dark', lang: 'ru' | 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: VIEWPORTS[size], colorScheme: scheme, locale: lang === 'ru' ? 'ru-RU' : 'en-US', hasTouch: size === 'phone', isMobile: size === 'phone', deviceScaleFactor: 1 })
  await context.addCookies(cookies)
  await context.addInitScript((l) => localStorage.setItem('admin.locale', l), lang)
  return context
}

/** Screenshot, axe, and the sideways-scroll check for the screen as it is now. */
async function check(page: Page, name: string, width: number) {
  // A live screen (the support inbox) keeps its stream open: the network never idles, its "live" badge says it is ready.
  const live = page.locator('[data-testid="support-live"]')
  if (await live.count()) await page.locator('[data-testid="support-live"][data-connected="true"]').waitFor()
  else await page.waitForLoadState('networkidle')
  await page.waitForTimeout(250)
  await screenshot(page, `admin-${name}`)
  expect(await pageOverflow(page), `${name}: page wider than ${width} px`).toBeLessThanOrEqual(0)
  const violations = await seriousA11yViolations(page)
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([])
}

describe('every admin screen at 390 and 1440 px, light and dark, ru and en', () => {
  for (const size of ['phone', 'desktop'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const lang of ['ru', 'en'] as const) {
        it(`${size} ${scheme} ${lang}`, async () => {
          const context = await openContext(size, scheme, lang)
          const page = await context.newPage()
          const errors: string[] = []
          page.on('pageerror', (e) => errors.push(e.message))
          try {
            const suffix = `${size}-${scheme}-${lang}`
            for (const screen of SCREENS) {
              await page.goto(app.url + screen.path.replace(':order', String(ids.order)).replace(':payment', String(ids.payment)).replace(':product', String(ids.product)).replace(':conversation', String(ids.conversation)))
              await page.locator(screen.ready).first().waitFor({ timeout: 15_000 })
              if (screen.open) {
                await screen.open(page)
                await page.waitForTimeout(300)
              }
              await check(page, `${screen.name}-${suffix}`, VIEWPORTS[size].width)
            }
            if (size === 'phone') {
              await page.goto(`${app.url}/admin`)
              await page.getByTestId('menu').click()
              await page.locator('#adm-nav.open').waitFor()
              await page.waitForTimeout(300)
              await check(page, `nav-${suffix}`, VIEWPORTS[size].width)
            }
            const signedOut = await browser.newContext({ viewport: VIEWPORTS[size], colorScheme: scheme, locale: lang === 'ru' ? 'ru-RU' : 'en-US' })
            await signedOut.addInitScript((l) => localStorage.setItem('admin.locale', l), lang)
            const login = await signedOut.newPage()
            await login.goto(`${app.url}/admin/login`)
            await login.getByTestId('open-bot').waitFor()
            await check(login, `login-${suffix}`, VIEWPORTS[size].width)
            await signedOut.close()
            expect(errors).toEqual([])
          } finally {
            await context.close()
          }
        }, 240_000)
      }
    }
  }
})
