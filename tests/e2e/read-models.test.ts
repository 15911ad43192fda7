import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { createPostgresDatabase, engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * Two replicas of the built app on one PostgreSQL database, each keeping the catalog, users'
 * roles and the settings in memory (and public pages in a page cache): what the owner changes through one is what customers and staff get from the
 * other, through PostgreSQL's NOTIFY. The replicas keep their copies for an hour without a
 * notification (READ_MODEL_TTL), so nothing below can pass through a cache simply expiring.
 * PGlite is one process by design (several replicas need PostgreSQL): there the same read models
 * are tested in-process (tests/server/services/catalog/read-model.test.ts).
 */
let fake: FakeBotApi
let writer: RunningApp
let reader: RunningApp
let dropDatabase: (() => Promise<void>) | undefined
const owner: InitUser = { id: 5560099, first_name: 'Алексей', language_code: 'ru' }
const manager: InitUser = { id: 5560002, first_name: 'Ольга', language_code: 'ru' }

const call = async (app: RunningApp, path: string, init: RequestInit & { user?: InitUser } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.user ? tmaHeaders(init.user, fake.token) : {}), ...(init.headers as Record<string, string>) }
  const res = await fetch(`${app.url}${path}`, { ...init, headers })
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()
  return { status: res.status, body }
}

describe.skipIf(engine !== 'postgres')('two replicas on one PostgreSQL', () => {
  beforeAll(async () => {
    fake = createFakeBotApi()
    await fake.listen()
    const database = await createPostgresDatabase()
    dropDatabase = database.drop
    const env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: 'replicas-secret-0123456789',
      TELEGRAM_UPDATES: 'webhook',
      PUBLIC_URL: 'https://shop.example.com',
      SESSION_SECRET: 'r'.repeat(40),
      ADMIN_TELEGRAM_IDS: String(owner.id),
      READ_MODEL_TTL: '3600',
    }
    writer = await startApp({ databaseUrl: database.url, env })
    reader = await startApp({ databaseUrl: database.url, env })
  })
  afterAll(async () => {
    await reader?.stop()
    await writer?.stop()
    await dropDatabase?.()
    await fake?.close()
  })

  it('shows a new price and hides a hidden product on the other replica', async () => {
    // The reader has the catalog in memory before the change.
    const before = await call(reader, '/api/catalog/products/cappuccino')
    expect(before.status).toBe(200)
    expect((await call(reader, '/api/catalog/products?q=капучино')).body.items.map((p: { slug: string }) => p.slug)).toContain('cappuccino')
    // Asked twice, the list is a hot answer on the reader (answered before h3): it too must change.
    for (let i = 0; i < 2; i++) expect((await call(reader, '/api/catalog/products?category=coffee&sort=price_asc')).status).toBe(200)

    const patched = await call(writer, `/api/admin/catalog/products/${before.body.id}`, { method: 'PATCH', user: owner, body: JSON.stringify({ priceMinor: before.body.priceMinor + 5000 }) })
    expect(patched.status).toBe(200)
    await eventually(async () => (await call(reader, '/api/catalog/products/cappuccino')).body.priceMinor === before.body.priceMinor + 5000)
    const listed = await call(reader, '/api/catalog/products?category=coffee&sort=price_asc')
    expect(listed.body.items.find((p: { slug: string }) => p.slug === 'cappuccino')?.priceMinor).toBe(before.body.priceMinor + 5000)

    expect((await call(writer, `/api/admin/catalog/products/${before.body.id}`, { method: 'PATCH', user: owner, body: JSON.stringify({ isActive: false }) })).status).toBe(200)
    await eventually(async () => (await call(reader, '/api/catalog/products/cappuccino')).status === 404)
    expect((await call(reader, '/api/catalog/products?q=капучино')).body.items.map((p: { slug: string }) => p.slug)).not.toContain('cappuccino')
    expect((await call(reader, '/api/catalog/products?category=coffee')).body.items.map((p: { slug: string }) => p.slug)).not.toContain('cappuccino')
  })

  it('refuses a staff member on the other replica once their role is removed', async () => {
    expect((await call(writer, '/api/me', { user: manager })).status).toBe(200)
    const granted = await call(writer, `/api/admin/users/${manager.id}/roles`, { method: 'POST', user: owner, body: JSON.stringify({ role: 'manager' }) })
    expect(granted.status).toBe(200)
    // The reader learns of the grant, and from then on has the manager in memory.
    await eventually(async () => (await call(reader, '/api/admin/catalog/products', { user: manager })).status === 200)
    expect((await call(reader, '/api/me', { user: manager })).status).toBe(200)

    expect((await call(writer, `/api/admin/users/${manager.id}/roles/manager`, { method: 'DELETE', user: owner })).status).toBe(200)
    await eventually(async () => (await call(reader, '/api/admin/catalog/products', { user: manager })).status === 403)
  })

  it('shows the business profile the owner just saved on the other replica: its API and its cached landing page', async () => {
    // The reader has the landing page in its page cache (60 s) and the settings in memory (an hour).
    expect((await call(reader, '/')).body).toContain('Кофейня «Зерно»')
    const before = (await call(reader, '/api/admin/settings/business', { user: owner })).body
    expect(before).toMatchObject({ configured: true, name: { ru: 'Кофейня «Зерно»' } })
    const { configured: _configured, ...profile } = before
    const renamed = { ...profile, name: { ru: 'Кофейня «Зерно и Молоко»', en: 'Zerno & Milk' }, phone: '+7 495 000-11-22' }
    expect((await call(writer, '/api/admin/settings/business', { method: 'PATCH', user: owner, body: JSON.stringify(renamed) })).status).toBe(200)
    const started = Date.now()
    await eventually(async () => (await call(reader, '/api/business')).body.profile.name.ru === renamed.name.ru, 1_000, 25)
    await eventually(async () => (await call(reader, '/')).body.includes('Кофейня «Зерно и Молоко»'), 1_000, 25)
    expect(Date.now() - started).toBeLessThan(1_000)
    expect((await call(reader, '/')).body).toContain('+7 495 000-11-22')
  })

  it('prints the legal details the owner just changed on the other replica', async () => {
    const before = await call(reader, '/api/admin/settings/legal', { user: owner })
    expect(before.status).toBe(200)
    const details = { legalName: 'ИП Смирнова Анна Петровна', taxId: '772501234567', address: 'Москва, ул. Покровка, 12', taxNote: 'НДС не облагается', receiptFooter: 'Спасибо!' }
    expect((await call(writer, '/api/admin/settings/legal', { method: 'PATCH', user: owner, body: JSON.stringify(details) })).status).toBe(200)
    // The writer reads its own change at once; the reader once the NOTIFY arrives.
    expect((await call(writer, '/api/admin/settings/legal', { user: owner })).body).toMatchObject({ legalName: details.legalName })
    await eventually(async () => (await call(reader, '/api/admin/settings/legal', { user: owner })).body.legalName === details.legalName)
  })
})
