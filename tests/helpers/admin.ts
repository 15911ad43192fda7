/**
 * What the /admin browser tests share: signing in through the bot's one-time link, and checking a
 * screen (screenshot + no serious or critical axe findings).
 */
import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { eventually } from './eventually'
import { screenshot, seriousA11yViolations } from './browser'
import type { InitUser } from './telegram-users'

const LOGIN_LINK = /https?:\/\/\S+\/admin\/login\?token=[A-Za-z0-9_-]+/

/**
 * Sends /admin to the bot as `user` through the webhook and returns the sign-in link it answered
 * with. The link names PUBLIC_URL (a public https host); the browser reaches the same app on its
 * local port. Other messages to the same person (e.g. an alert) may arrive meanwhile: the link
 * itself is looked for.
 */
export async function adminLinkFromBot(target: { appUrl: string; fake: FakeBotApi; secret: string; publicUrl: string }, user: InitUser): Promise<string> {
  const { appUrl, fake, secret, publicUrl } = target
  const toUser = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)
  const before = toUser().length
  const res = await fetch(`${appUrl}/api/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(fake.updates.command({ ...user, is_bot: false }, '/admin')),
  })
  expect(res.status).toBe(200)
  const linkIn = (c: { params: Record<string, unknown> }) => LOGIN_LINK.exec(`${c.params.text} ${JSON.stringify(c.params.reply_markup ?? '')}`)?.[0]
  const link = await eventually(() => toUser().slice(before).map(linkIn).find(Boolean), 15_000)
  expect(link).toBeTruthy()
  return link!.replace(publicUrl, appUrl)
}

/** Once the screen is idle: a screenshot (`admin-<name>.png`) and no serious or critical axe findings. */
export async function expectAdminScreen(page: Page, name: string, options: { live?: boolean } = {}) {
  // A live screen (support: a Server-Sent Events stream) always has a request open: it never goes network-idle.
  await page.waitForLoadState(options.live ? 'load' : 'networkidle')
  if (options.live) await page.locator('[data-testid="support-live"][data-connected="true"]').first().waitFor()
  // A list that is refetching is dimmed (DataState): axe would rightly count its text as low contrast.
  await page.waitForFunction(() => [...document.querySelectorAll('[aria-busy]')].every((e) => e.getAttribute('aria-busy') !== 'true' && getComputedStyle(e).opacity === '1'))
  await screenshot(page, `admin-${name}`)
  const violations = await seriousA11yViolations(page)
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), name).toEqual([])
}

/** Waits for the admin's toast with `text`. */
export const adminToast = (page: Page, text: string | RegExp) => page.locator('[role="status"] .toast', { hasText: text }).first().waitFor()

/** Waits until the sandbox's bot takes updates (it sets its webhook on the fake Bot API just after start). */
export const sandboxBotReady = (appUrl: string) =>
  eventually(async () => (await fetch(`${appUrl}/api/sandbox/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'customer', text: '/start' }) })).ok, 30_000, 300)

/** A demo person's signed launch from the sandbox: `Authorization: tma …` headers for API calls as them. */
export async function sandboxPerson(appUrl: string, person: string) {
  const launch = (await (await fetch(`${appUrl}/api/sandbox/launch?person=${person}`)).json()) as { initData: string; name: string }
  return { ...launch, headers: { authorization: `tma ${launch.initData}`, 'content-type': 'application/json' } }
}

/** In the sandbox: the demo `person` writes /admin to the bot; returns the one-time link from the chat. */
export async function sandboxAdminLink(appUrl: string, person: string): Promise<string> {
  const before = await sandboxChat(appUrl, person)
  const sent = await fetch(`${appUrl}/api/sandbox/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person, text: '/admin' }) })
  expect(sent.status).toBeLessThan(300)
  const link = await eventually(async () => (await sandboxChat(appUrl, person)).slice(before.length).map((m) => LOGIN_LINK.exec(m.text ?? '')?.[0]).find(Boolean), 15_000)
  expect(link).toBeTruthy()
  return link!
}
async function sandboxChat(appUrl: string, person: string): Promise<{ text?: string }[]> {
  return ((await (await fetch(`${appUrl}/api/sandbox/chat?person=${person}`)).json()) as { messages: { text?: string }[] }).messages
}

/** Whether the page is wider than the screen (the admin must never scroll sideways on a phone). */
export const pageOverflow = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth)

/** Whatever JSON the server answered (as `res.json()` gives it). */
type Json = ReturnType<typeof JSON.parse>
/** A JSON call as a demo person (headers from `sandboxPerson`); fails the test on anything but 2xx. */
export async function callAs(appUrl: string, who: { headers: Record<string, string> }, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Json> {
  const res = await fetch(`${appUrl}${path}`, { method: init.method ?? 'GET', headers: { ...who.headers, ...init.headers }, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const body = await res.json()
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBeLessThan(300)
  return body
}

/**
 * In the sandbox: the demo customer orders two of `slug` for pickup through the real cart and
 * checkout; with `telegram` they also pay the invoice in the sandbox's payment sheet (a card
 * payment through pre_checkout_query and successful_payment). Returns the order.
 */
export async function sandboxOrder(appUrl: string, paymentMethod: 'cash_on_delivery' | 'telegram', slug: string): Promise<Json> {
  const customer = await sandboxPerson(appUrl, 'customer')
  const call = (path: string, init?: Parameters<typeof callAs>[3]) => callAs(appUrl, customer, path, init)
  const product = await call(`/api/catalog/products/${slug}`)
  await call('/api/cart/items', { method: 'POST', body: { productId: product.id, quantity: 2, options: slug === 'cappuccino' ? { milk: 'oat' } : undefined } })
  const options = await call('/api/checkout/options')
  const checkout = { delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0].id }, contact: { name: 'Мария Соколова', phone: '+7 900 555-12-34' }, paymentMethod }
  const order = await call('/api/orders', { method: 'POST', body: checkout, headers: { 'idempotency-key': `sandbox-${slug}-${Date.now()}` } })
  if (paymentMethod === 'telegram') {
    const { link } = await call(`/api/orders/${order.id}/invoice`, { method: 'POST' })
    const paid = await callAs(appUrl, { headers: { 'content-type': 'application/json' } }, '/api/sandbox/invoices/pay', { method: 'POST', body: { person: 'customer', link, outcome: 'paid' } })
    expect(paid.status).toBe('paid')
  }
  return order
}
