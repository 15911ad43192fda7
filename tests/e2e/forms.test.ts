import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame, Page } from 'playwright-core'
import { startApp, type RunningApp } from '../helpers/app'
import { launchBrowser, openSandboxPage, phoneScreenshot, plainText, sandboxLaunch, screenshot } from '../helpers/browser'
import { expectAdminScreen, pageOverflow, sandboxAdminLink } from '../helpers/admin'

/**
 * Forms that never lose a value (issue 16), against the built app in sandbox mode: a customer fills
 * the demo catering request in Chromium through /sandbox, the app is closed and reopened, a second
 * device continues the draft, the network is cut mid-form (nothing typed is lost, the app says what
 * waits), and back online exactly one submission arrives. A hand-crafted request that breaks the
 * form's rules is refused field by field; a field report with two photos and a location from the
 * demo employee reaches operators.
 */
let app: RunningApp
let browser: Browser
let page: Page

beforeAll(async () => {
  app = await startApp({ env: { NODE_ENV: 'test', PUBLIC_DEMO: undefined } })
  browser = await launchBrowser()
  page = await openSandboxPage(browser, app.url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function initDataOf(person: string) {
  return ((await (await fetch(`${app.url}/api/sandbox/launch?person=${person}`)).json()) as { initData: string }).initData
}
async function api<T = Record<string, unknown>>(path: string, person: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; form?: FormData } = {}) {
  const res = await fetch(app.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `tma ${await initDataOf(person)}`, ...(init.form ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  })
  return { status: res.status, body: (await res.json().catch(() => null)) as T }
}
type Submission = { id: number; form: { slug: string }; userId: number; byStaff: boolean; status: string; values: Record<string, unknown> }
const submissionsOf = async (form: string, userId: number) => (await api<{ items: Submission[] }>(`/api/admin/form-submissions?form=${form}`, 'owner')).body.items.filter((s) => s.userId === userId)
const CUSTOMER_EN = 9_000_000_002
const STAFF = 9_000_000_020

const main = () => page.locator('[data-testid="tg-main"]')
const fieldError = (frame: Frame, key: string) => frame.textContent(`[data-field="${key}"] .error`).catch(() => null)

describe('filling a form in the Mini App', () => {
  let frame: Frame

  it('goes one step at a time, with errors beside the field in the user’s language and the conditional field only when it applies', async () => {
    frame = await sandboxLaunch(page, { person: 'customer_en', startParam: 'form_catering' })
    await frame.waitForSelector('h1:has-text("Catering request")')
    expect(plainText(await frame.textContent('.hero'))).toContain('Step 1 of 3')
    expect(await frame.locator('[data-field="event_other"]').count()).toBe(0)
    await expect.poll(async () => plainText(await main().textContent())).toBe('Next')
    await main().click()
    await expect.poll(() => fieldError(frame, 'event')).toBe('Please fill in this field')
    expect(await fieldError(frame, 'guests')).toBe('Please fill in this field')
    await frame.check('[data-field="event"] input[value="other"]')
    await frame.waitForSelector('[data-field="event_other"]')
    await frame.fill('[data-field="event_other"] input', 'Team breakfast')
    await frame.fill('[data-field="date"] input', '2026-12-20')
    await frame.fill('[data-field="guests"] input', '3')
    await main().click()
    await expect.poll(() => fieldError(frame, 'guests')).toBe('The number is too small')
    expect(await fieldError(frame, 'event')).toBeNull()
    await phoneScreenshot(page, 'forms-step-errors-en')
    await frame.fill('[data-field="guests"] input', '12')
    await main().click()
    await frame.waitForSelector('text=Step 2 of 3')
    await frame.check('[data-field="menu"] input[value="coffee"]')
    await frame.fill('[data-field="wishes"] textarea', 'Oat milk, please')
    // Saved on the server a moment later, not only on this device.
    await frame.waitForSelector('[data-testid="form-sync"][data-sync="saved"]', { timeout: 15_000 })
    const opened = await api<{ draft: { values: Record<string, unknown>; step: number } }>('/api/forms/catering', 'customer_en')
    expect(opened.body.draft.values).toMatchObject({ event: 'other', event_other: 'Team breakfast', guests: 12, menu: ['coffee'], wishes: 'Oat milk, please' })
    await phoneScreenshot(page, 'forms-step-2-en')
  })

  it('continues the draft after the app is closed and reopened, and on a second device', async () => {
    frame = await sandboxLaunch(page, { person: 'customer_en', startParam: 'form_catering' })
    await frame.waitForSelector('text=Step 2 of 3')
    expect(await frame.inputValue('[data-field="wishes"] textarea')).toBe('Oat milk, please')

    const other = await openSandboxPage(browser, app.url)
    const second = await sandboxLaunch(other, { person: 'customer_en', startParam: 'form_catering' })
    await second.waitForSelector('text=Continuing where you stopped')
    await second.waitForSelector('text=Step 2 of 3')
    expect(await second.inputValue('[data-field="wishes"] textarea')).toBe('Oat milk, please')
    await phoneScreenshot(other, 'forms-second-device-en')
    await other.locator('[data-testid="tg-secondary"]').click()
    await second.waitForSelector('text=Step 1 of 3')
    await expect.poll(async () => (await api<{ draft: { step: number } }>('/api/forms/catering', 'customer_en')).body.draft.step, { timeout: 15_000 }).toBe(0)
    expect(await second.isChecked('[data-field="event"] input[value="other"]')).toBe(true)
    expect(await second.inputValue('[data-field="event_other"] input')).toBe('Team breakfast')
    await other.context().close()
  })

  it('loses nothing when the network is cut mid-form, says what waits, and sends exactly once when back online', async () => {
    // The second device stepped back last: this one follows it there.
    frame = await sandboxLaunch(page, { person: 'customer_en', startParam: 'form_catering' })
    await frame.waitForSelector('text=Step 1 of 3')
    await main().click()
    await frame.waitForSelector('text=Step 2 of 3')
    await page.context().setOffline(true)
    await frame.waitForSelector('[data-testid="form-offline"]')
    await frame.check('[data-field="menu"] input[value="pastry"]')
    await main().click()
    await frame.waitForSelector('text=Step 3 of 3')
    await frame.fill('[data-field="name"] input', 'Emma Clarke')
    await frame.fill('[data-field="phone"] input', '+44 7700 900123')
    await frame.check('[data-field="consent"] input')
    await frame.waitForSelector('[data-testid="form-sync"][data-sync="device"]')
    await phoneScreenshot(page, 'forms-offline-en')
    await main().click()
    await frame.waitForSelector('text=The form is kept on this device')
    await frame.waitForSelector('[data-testid="form-outbox"] li[data-state="waiting"]')
    await phoneScreenshot(page, 'forms-outbox-waiting-en')
    expect(await submissionsOf('catering', CUSTOMER_EN)).toEqual([])

    await page.context().setOffline(false)
    await frame.waitForSelector('[data-testid="form-outbox"] li[data-state="sent"]', { timeout: 30_000 })
    await phoneScreenshot(page, 'forms-outbox-sent-en')
    const arrived = await submissionsOf('catering', CUSTOMER_EN)
    expect(arrived).toHaveLength(1)
    expect(arrived[0]!.values).toEqual({ event: 'other', event_other: 'Team breakfast', date: '2026-12-20', guests: 12, menu: ['coffee', 'pastry'], wishes: 'Oat milk, please', name: 'Emma Clarke', phone: '+44 7700 900123', consent: true })
    // The draft is gone everywhere: the form opens empty again.
    expect((await api<{ draft: unknown }>('/api/forms/catering', 'customer_en')).body.draft).toBeNull()
    frame = await sandboxLaunch(page, { person: 'customer_en', startParam: 'form_catering' })
    await frame.waitForSelector('text=Step 1 of 3')
    expect(await submissionsOf('catering', CUSTOMER_EN)).toHaveLength(1)
  })
})

describe('the forms API', () => {
  it('refuses a hand-crafted submission that breaks the rules, field by field', async () => {
    const values = { event: 'office', event_other: 'hidden but filled', date: '20.12.2026', guests: 'twelve', menu: ['coffee'], name: 'X', consent: true }
    const refused = await api<{ code: string; details: { path: string; code: string }[] }>('/api/forms/catering/submissions', 'customer', { method: 'POST', body: { version: 1, values }, headers: { 'Idempotency-Key': 'hand-crafted-0001' } })
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('form_invalid')
    expect(Object.fromEntries(refused.body.details.map((d) => [d.path, d.code]))).toEqual({ event_other: 'hidden', date: 'invalid', guests: 'invalid', phone: 'required' })
    expect((await api('/api/forms/catering/submissions', 'customer', { method: 'POST', body: { version: 1, values } })).status).toBe(400) // no Idempotency-Key
  })

  it('stores a resent submission once and answers the resend with the first one', async () => {
    const body = { version: 1, values: { event: 'office', date: '2026-12-21', guests: 20, menu: ['desserts'], name: 'Мария', phone: '+7 916 123-45-01', consent: true } }
    const headers = { 'Idempotency-Key': 'resend-same-key-0001' }
    const first = await api<{ id: number }>('/api/forms/catering/submissions', 'customer', { method: 'POST', body, headers })
    const again = await api<{ id: number }>('/api/forms/catering/submissions', 'customer', { method: 'POST', body, headers })
    expect([first.status, again.status]).toEqual([201, 200])
    expect(again.body.id).toBe(first.body.id)
    const reused = await api<{ code: string }>('/api/forms/catering/submissions', 'customer', { method: 'POST', body: { ...body, values: { ...body.values, guests: 21 } }, headers })
    expect(reused.body.code).toBe('idempotency_key_reused')
  })

  it('takes a field report with two photos and a location from the demo employee, and hides staff forms from customers', async () => {
    expect((await api('/api/forms/visit-report', 'customer')).status).toBe(404)
    expect((await api<{ items: { slug: string }[] }>('/api/forms', 'staff')).body.items.map((f) => f.slug)).toContain('visit-report')
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const photos: string[] = []
    for (const n of [1, 2]) {
      const form = new FormData()
      form.append('image', new Blob([png], { type: 'image/png' }), `shelf-${n}.png`)
      const uploaded = await api<{ path: string }>('/api/form-photos', 'staff', { method: 'POST', form, headers: { 'Idempotency-Key': `visit-photo-000${n}` } })
      expect(uploaded.status).toBe(201)
      photos.push(uploaded.body.path)
    }
    // A resumed upload (same key) answers the same photo, not a second one.
    const form = new FormData()
    form.append('image', new Blob([png], { type: 'image/png' }), 'shelf-1.png')
    expect((await api<{ path: string }>('/api/form-photos', 'staff', { method: 'POST', form, headers: { 'Idempotency-Key': 'visit-photo-0001' } })).body.path).toBe(photos[0])
    expect((await fetch(app.url + photos[0]!)).status).toBe(200)

    const values = { point: 'Кофейня на Тверской', where: { lat: 55.7652, lon: 37.6055 }, photos, state: 'issues', issues: 'Нет ценников на выпечке' }
    const sent = await api<{ id: number }>('/api/forms/visit-report/submissions', 'staff', { method: 'POST', body: { version: 1, values }, headers: { 'Idempotency-Key': 'visit-report-0001' } })
    expect(sent.status).toBe(201)
    const [report] = await submissionsOf('visit-report', STAFF)
    expect(report).toMatchObject({ id: sent.body.id, byStaff: true, values })
    const today = await api<{ items: { id: number }[] }>('/api/form-submissions', 'staff')
    expect(today.body.items.map((s) => s.id)).toContain(sent.body.id)
    const csv = await (await fetch(`${app.url}/api/admin/form-submissions/export.csv?form=visit-report`, { headers: { authorization: `tma ${await initDataOf('owner')}` } })).text()
    expect(csv).toContain('55.7652, 37.6055')
    expect(csv).toContain(photos[1]!)
  })
})

describe('operators in /admin', () => {
  it('see the field report with its photos and map link, move it along, and edit and publish a form', async () => {
    for (const [size, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1440, height: 900 }]] as const) {
      const context = await browser.newContext({ viewport, locale: 'en-US' })
      await context.addInitScript(() => localStorage.setItem('admin.locale', 'en'))
      const admin = await context.newPage()
      await admin.goto(await sandboxAdminLink(app.url, 'owner'))
      await admin.waitForURL(`${app.url}/admin`)
      await admin.goto(`${app.url}/admin/forms/submissions?form=visit-report`)
      await admin.getByTestId('submissions-table').locator('tbody tr').first().waitFor()
      await admin.getByTestId('submissions-table').locator('tbody tr button').first().click()
      const detail = admin.getByTestId('submission-detail')
      await detail.waitFor()
      expect(await detail.locator('img').count()).toBe(2)
      expect(await detail.locator('a:has-text("Open on the map")').getAttribute('href')).toContain('mlat=55.7652')
      await expectAdminScreen(admin, `form-submission-${size}-en`)
      expect(await pageOverflow(admin)).toBeLessThanOrEqual(0)
      await context.close()
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })
    await context.addInitScript(() => localStorage.setItem('admin.locale', 'en'))
    const admin = await context.newPage()
    await admin.goto(await sandboxAdminLink(app.url, 'owner'))
    await admin.waitForURL(`${app.url}/admin`)
    await admin.goto(`${app.url}/admin/forms/submissions?form=visit-report`)
    await admin.getByTestId('submissions-table').locator('tbody tr button').first().click()
    await admin.selectOption('[data-testid="submission-detail"] select[name="status"]', 'in_work')
    await admin.click('[data-testid="submission-detail"] button[type="submit"]')
    await expect.poll(async () => (await submissionsOf('visit-report', STAFF))[0]?.status).toBe('in_work')

    await admin.goto(`${app.url}/admin/forms`)
    await admin.getByTestId('forms-table').locator('tbody tr').first().waitFor()
    await admin.getByTestId('forms-table').locator('tr', { hasText: 'Catering request' }).getByRole('button', { name: /^Edit/ }).click()
    await admin.getByTestId('form-preview').waitFor()
    await screenshot(admin, 'admin-form-editor-desktop-en')
    await admin.fill('[data-testid="form-editor-form"] input >> nth=1', 'Catering order')
    await admin.click('[data-testid="form-editor-submit"]')
    await admin.getByTestId('form-editor-form').waitFor({ state: 'hidden' })
    await admin.getByTestId('forms-table').locator('tr', { hasText: 'Catering order' }).getByRole('button', { name: /^Publish/ }).click()
    await expect.poll(async () => (await api<{ version: number; title: { en: string } }>('/api/forms/catering', 'customer')).body.version).toBe(2)
    expect((await api<{ title: { en: string } }>('/api/forms/catering', 'customer')).body.title.en).toBe('Catering order')
    await context.close()
  })
})
