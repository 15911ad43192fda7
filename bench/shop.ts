/**
 * What the auth, catalog and payments benches share: the app's env in webhook mode against the fake
 * Bot API, Mini App customers with signed initData, and the few API calls that set a run up
 * (raise stock as the owner, cart -> order awaiting payment).
 *
 * Every customer gets their own client IP (X-Forwarded-For, with TRUST_PROXY=1 as behind a reverse
 * proxy): the app limits writes to 300/min per IP, and a real shop's customers do not share one.
 */
import type { FakeBotApi } from '../server/telegram/fake-bot-api'
import { initDataFor, type InitUser } from '../tests/helpers/telegram-users'

export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789'
export const OWNER: InitUser = { id: 6_900_000, first_name: 'Owner', language_code: 'ru' }

/** The app's env: webhook mode on the fake Bot API, payments on, OWNER as owner, X-Forwarded-For trusted. */
export function shopEnv(fake: Pick<FakeBotApi, 'token' | 'apiRoot'>): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_UPDATES: 'webhook', PUBLIC_URL: 'https://shop.example.com', SESSION_SECRET: 'b'.repeat(40),
    PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500', ADMIN_TELEGRAM_IDS: String(OWNER.id), TRUST_PROXY: '1',
  }
}

/** A customer as both initData and Bot API updates carry them (Telegraf's User: is_premium is `true` or absent). */
export type Customer = InitUser & { is_bot: false; is_premium?: true }

/** Customer number `i` of a series (`base` keeps the series of one run apart). */
export function customer(base: number, i: number): Customer {
  return { id: base + i, is_bot: false, first_name: 'Покупатель', language_code: 'ru', allows_write_to_pm: true }
}

/** `Authorization: tma <initData>` signed now for `user`, and the user's own client IP. */
export function authHeaders(user: InitUser, token: string): Record<string, string> {
  const id = user.id
  return { authorization: `tma ${initDataFor(user, token)}`, 'x-forwarded-for': `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}` }
}

// Benchmarks read whatever the app answers; each caller narrows what it uses.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Answer<T = any> { status: number; body: T }

/** One JSON API call, as `user` when given. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(url: string, path: string, init: { method?: string; body?: unknown; user?: InitUser; token?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers = { 'content-type': 'application/json', ...(init.user ? authHeaders(init.user, init.token!) : {}), ...init.headers }
  const res = await fetch(url + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  const text = await res.text()
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text }
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<I, O>(items: I[], concurrency: number, work: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length)
  let next = 0
  const worker = async () => { while (next < items.length) { const i = next++; out[i] = await work(items[i]!, i) } }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
  return out
}

export interface Product { id: number; slug: string; priceMinor: number; currency: string; stock?: number }

/** The products by slug (public catalog API). */
export async function products(url: string, slugs: string[]): Promise<Product[]> {
  return Promise.all(slugs.map(async (slug) => {
    const got = await api<Product>(url, `/api/catalog/products/${slug}`)
    if (got.status !== 200) throw new Error(`product ${slug}: ${got.status}`)
    return got.body
  }))
}

/** Adds `delta` to a product's stock as the owner (admin API, audited). */
export async function raiseStock(url: string, token: string, productId: number, delta: number) {
  const res = await api(url, `/api/admin/catalog/products/${productId}/stock`, { method: 'POST', user: OWNER, token, body: { delta, reason: 'bench delivery' } })
  if (res.status !== 200) throw new Error(`raise stock of ${productId}: ${res.status} ${JSON.stringify(res.body)}`)
}

export interface PlacedOrder { id: number; number: string; totalMinor: number; currency: string; status: string; user: Customer }

/** Cart (one product, quantity 1) -> POST /api/orders paid in Telegram, pickup; the order awaits payment. */
export async function placeOrder(url: string, token: string, user: Customer, product: Product, pickupPointId: number): Promise<PlacedOrder> {
  const added = await api(url, '/api/cart/items', { method: 'POST', user, token, body: { productId: product.id, quantity: 1 } })
  if (added.status !== 200) throw new Error(`add to cart: ${added.status} ${JSON.stringify(added.body)}`)
  const order = await api(url, '/api/orders', {
    method: 'POST', user, token, headers: { 'idempotency-key': `bench-order-${user.id}` },
    body: { delivery: { method: 'pickup', pickupPointId }, contact: { name: 'Покупатель', phone: '+79001234567' }, paymentMethod: 'telegram' },
  })
  if (order.status !== 201 || order.body.status !== 'awaiting_payment') throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`)
  return { ...order.body, user }
}

/** The first pickup point (checkout options, as `user`). */
export async function pickupPoint(url: string, token: string, user: InitUser): Promise<number> {
  const options = await api(url, '/api/checkout/options', { user, token })
  return options.body.pickupPoints[0].id
}
