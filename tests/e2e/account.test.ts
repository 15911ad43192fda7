import { strFromU8, unzipSync } from 'fflate'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, sandboxLaunch, seriousA11yViolations } from '../helpers/browser'

/**
 * The personal account through the sandbox, as the built app runs it: a paid order gets its PDF
 * receipt, documents only ever reach their owner (signed links, staff routes), an operator attaches a
 * document and the customer hears about it in the chat; in Chromium the customer edits the profile
 * and an address, opens the history, downloads the receipt and finds the operator's document.
 */
let app: RunningApp
let browser: Browser
let page: Page
const auth: Record<string, string> = {}
const ids: Record<string, number> = {}

async function launch(person: string) {
  const res = await fetch(`${app.url}/api/sandbox/launch?person=${person}`)
  const body = (await res.json()) as { initData: string }
  auth[person] = `tma ${body.initData}`
  ids[person] = Number(JSON.parse(new URLSearchParams(body.initData).get('user')!).id)
}
async function call(person: string | null, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers)
  if (person) headers.set('authorization', auth[person]!)
  if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json')
  return fetch(`${app.url}${path}`, { ...init, headers })
}
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T
async function until<T>(read: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('gave up waiting')
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** The Russian customer orders a cappuccino for pickup and pays in Telegram (the sandbox's payment sheet). */
async function payOrder(person: string) {
  const product = await json<{ id: number }>(await call(null, '/api/catalog/products/cappuccino'))
  expect((await call(person, '/api/cart/items', { method: 'POST', body: JSON.stringify({ productId: product.id, quantity: 1 }) })).ok).toBe(true)
  const options = await json<{ pickupPoints: { id: number }[] }>(await call(person, '/api/checkout/options'))
  const created = await call(person, '/api/orders', { method: 'POST', headers: { 'idempotency-key': `account-e2e-${person}-${Date.now()}` }, body: JSON.stringify({ delivery: { method: 'pickup', pickupPointId: options.pickupPoints[0]!.id }, contact: { name: 'Мария Соколова', phone: '+79161234501' }, paymentMethod: 'telegram' }) })
  const order = await json<{ id: number; number: string }>(created)
  const { link } = await json<{ link: string }>(await call(person, `/api/orders/${order.id}/invoice`, { method: 'POST' }))
  // Right after start the sandbox's webhook may not be set yet: the sheet is tried again until it is.
  await until(async () => (await call(null, '/api/sandbox/invoices/pay', { method: 'POST', body: JSON.stringify({ person, link, outcome: 'paid' }) })).ok || undefined)
  return order
}

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  for (const person of ['customer', 'customer_en', 'owner']) await launch(person)
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('documents reach only their owner', () => {
  let receipt: { id: number; fileName: string }
  let link: { path: string }

  it('a paid order gets its PDF receipt in the account, and the chat says so', async () => {
    const order = await payOrder('customer')
    receipt = await until(async () => (await json<{ items: { id: number; kind: string; orderId: number; fileName: string }[] }>(await call('customer', '/api/account/documents'))).items.find((d) => d.kind === 'receipt' && d.orderId === order.id))
    expect(receipt.fileName).toBe(`receipt-${order.number}.pdf`)
    await until(async () => {
      const chat = await json<{ messages: { text?: string }[] }>(await call(null, '/api/sandbox/chat?person=customer'))
      return chat.messages.some((m) => m.text?.includes('новый документ')) || undefined
    })
  })

  it('downloads through a signed link; another customer gets nothing', async () => {
    link = await json<{ path: string }>(await call('customer', `/api/account/documents/${receipt.id}/link`, { method: 'POST' }))
    const file = await call(null, link.path)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    // The owner's own initData is fine; someone else's is refused even with the link.
    expect((await call('customer', link.path)).status).toBe(200)
    expect(await json(await call('customer_en', link.path))).toMatchObject({ statusCode: 403, code: 'forbidden' })
    // No link, no listing, no staff route for another customer.
    expect((await call('customer_en', `/api/account/documents/${receipt.id}/link`, { method: 'POST' })).status).toBe(404)
    expect((await call('customer_en', `/api/account/documents/${receipt.id}/send`, { method: 'POST' })).status).toBe(404)
    expect((await json<{ items: unknown[] }>(await call('customer_en', '/api/account/documents'))).items).toEqual([])
    expect((await call('customer_en', `/api/admin/customers/${ids.customer}/documents/${receipt.id}/file`)).status).toBe(403)
    // A forged or truncated token is refused with a clear code.
    const [payload, signature] = link.path.split('/').pop()!.split('.')
    expect(await json(await call(null, `/api/account/documents/download/${payload}.${signature!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`))).toMatchObject({ code: 'document_link_invalid' })
    expect((await call(null, '/api/account/documents/download/not-a-token')).status).toBe(400)
  })

  it('staff open the customer card and attach a document; the customer is told in the chat', async () => {
    const found = await json<{ items: { id: number }[] }>(await call('owner', '/api/admin/customers?q=Соколова'))
    expect(found.items.map((c) => c.id)).toContain(ids.customer)
    const card = await json<{ history: { items: { module: string }[] }; documents: unknown[] }>(await call('owner', `/api/admin/customers/${ids.customer}`))
    expect(card.history.items[0]).toMatchObject({ module: 'orders' })
    const form = new FormData()
    form.set('kind', 'contract')
    form.set('title', 'Договор на мастер-класс')
    form.set('file', new Blob([Buffer.from('%PDF-1.4\n% contract\n%%EOF\n')], { type: 'application/pdf' }), 'dogovor.pdf')
    const attached = await call('owner', `/api/admin/customers/${ids.customer}/documents`, { method: 'POST', body: form })
    expect(attached.status).toBe(201)
    const bad = new FormData()
    bad.set('kind', 'act')
    bad.set('title', 'x')
    bad.set('file', new Blob([Buffer.from('MZ not a pdf')]), 'x.exe')
    expect(await json(await call('owner', `/api/admin/customers/${ids.customer}/documents`, { method: 'POST', body: bad }))).toMatchObject({ statusCode: 415, code: 'document_type_unsupported' })
    await until(async () => {
      const chat = await json<{ messages: { text?: string }[] }>(await call(null, '/api/sandbox/chat?person=customer'))
      return chat.messages.some((m) => m.text?.includes('Договор на мастер-класс')) || undefined
    })
  })

  it('exports everything as one ZIP with the PDFs', async () => {
    const res = await call('customer', '/api/account/export')
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    const data = JSON.parse(strFromU8(files['account.json']!))
    expect(data.modules.orders.length).toBeGreaterThan(0)
    expect(Object.keys(files).filter((f) => f.endsWith('.pdf')).length).toBeGreaterThanOrEqual(2)
    // The same archive into the chat, where every Telegram client can save it.
    expect((await call('customer', '/api/account/export/send', { method: 'POST' })).status).toBe(202)
    await until(async () => {
      const chat = await json<{ messages: { kind: string; text?: string }[] }>(await call(null, '/api/sandbox/chat?person=customer'))
      return chat.messages.some((m) => m.kind === 'document' && m.text?.includes('все ваши данные')) || undefined
    })
  })
})

describe('the account screens in the sandbox', () => {
  let frame: Frame

  beforeAll(async () => {
    browser = await launchBrowser()
    page = await openSandboxPage(browser, app.url)
  }, 60_000)

  it('opens the account with its sections', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light' })
    await frame.click('a[href="/app/account"]')
    await frame.waitForSelector('[data-testid="account-documents"]')
    await phoneScreenshot(page, 'account-home-ru-light')
    expect((await seriousA11yViolations(frame)).map((v) => v.id)).toEqual([])
  })

  it('edits the profile with the Main button', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light', startParam: 'account_profile' })
    await frame.waitForSelector('[data-testid="profile-email"]')
    await frame.fill('[data-testid="profile-email"]', 'maria@example.com')
    await frame.uncheck('[data-testid="notify-booking_reminders"]')
    await page.click('[data-testid="tg-main"]')
    await frame.waitForSelector('[data-testid="profile-status"]:has-text("Сохранено")')
    await phoneScreenshot(page, 'account-profile-ru-light')
    const profile = await json(await call('customer', '/api/account'))
    expect(profile).toMatchObject({ email: 'maria@example.com', notifications: { booking_reminders: false, order_updates: true } })
  })

  it('adds and edits an address', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'dark', startParam: 'account_addresses' })
    await frame.click('[data-testid="address-add"]')
    await frame.fill('[data-testid="address-label"]', 'Дом')
    await frame.fill('[data-testid="address-text"]', 'Москва, Тверская ул., 7')
    await page.click('[data-testid="tg-main"]')
    await frame.waitForSelector('[data-testid="addresses-list"] >> text=Тверская')
    await frame.click('[data-testid="addresses-list"] button:has-text("Изменить")')
    await frame.fill('[data-testid="address-text"]', 'Москва, Тверская ул., 9')
    await page.click('[data-testid="tg-main"]')
    await frame.waitForSelector('[data-testid="addresses-list"] >> text=Тверская ул., 9')
    await phoneScreenshot(page, 'account-addresses-ru-dark')
  })

  it('opens the history', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light', startParam: 'account_history' })
    await frame.waitForSelector('[data-testid="history-list"] >> text=Заказ')
    await phoneScreenshot(page, 'account-history-ru-light')
    expect((await seriousA11yViolations(frame)).map((v) => v.id)).toEqual([])
  })

  it('downloads the receipt and finds the operator’s document', async () => {
    frame = await sandboxLaunch(page, { person: 'customer', theme: 'light', startParam: 'account_documents' })
    await frame.waitForSelector('[data-testid="document-contract"]')
    await frame.click('[data-testid="document-receipt"] [data-testid="document-open"]')
    const href = await (await frame.waitForSelector('[data-testid="document-receipt"] [data-testid="document-file"]')).getAttribute('href')
    const head = await frame.evaluate(async (url) => {
      const res = await fetch(url!)
      return { type: res.headers.get('content-type'), start: new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5)) }
    }, href)
    expect(head).toEqual({ type: 'application/pdf', start: '%PDF-' })
    await phoneScreenshot(page, 'account-documents-ru-light')
  })

  it('reads in English too', async () => {
    frame = await sandboxLaunch(page, { person: 'customer_en', theme: 'dark', startParam: 'account_data' })
    await frame.waitForSelector('[data-testid="export-data"]:has-text("Download the archive")')
    await frame.click('[data-testid="delete-account"]')
    await frame.waitForSelector('[data-testid="delete-confirm"]')
    await phoneScreenshot(page, 'account-data-en-dark')
    await frame.click('[data-testid="delete-confirm"]')
    await frame.waitForSelector('[data-testid="account-deleted"]')
    await until(async () => {
      const chat = await json<{ messages: { text?: string }[] }>(await call(null, '/api/sandbox/chat?person=customer_en'))
      return chat.messages.some((m) => m.text?.includes('account has been deleted')) || undefined
    })
  })
})
