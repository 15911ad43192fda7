import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { createPostgresDatabase, engine } from '../helpers/db'
import { tmaHeaders } from '../helpers/telegram-users'

/**
 * What a careless `docker run` gets: the production image (NODE_ENV=production) started without a
 * bot token, as a declared public demo, and later with a real token on the same data.
 */
const json = { 'content-type': 'application/json' }

describe('production defaults', () => {
  it('refuses to start in production without a bot token, with one clear line, unless PUBLIC_DEMO says so', async () => {
    const app = await startApp({ waitForReady: false, env: { PUBLIC_DEMO: undefined } })
    expect(await app.exited).toBe(1)
    const lines = app.output().trim().split('\n')
    expect(lines).toEqual(['config error: TELEGRAM_BOT_TOKEN: is required in production (without it the app would run the sandbox; set PUBLIC_DEMO=1 to run a public demo on purpose)'])
    await app.stop()
  })

  it('runs a public demo in which no sandbox identity changes settings, roles, prices or money; a real bot later removes the demo staff', async () => {
    // One installation through three starts: its own data dir (and database), kept between them.
    const dataDir = mkdtempSync(join(tmpdir(), 'tma-demo-'))
    const database = engine === 'postgres' ? await createPostgresDatabase() : undefined
    const databaseUrl = database?.url
    const demo = await startApp({ env: { PUBLIC_DEMO: '1' }, dataDir, databaseUrl })
    let real: RunningApp | undefined
    const fake = createFakeBotApi()
    try {
      const warned = () => demo.logs().filter((l) => l.level === 'warn' && String(l.msg).startsWith('PUBLIC_DEMO'))
      expect(warned()).toHaveLength(1)
      const launch = await (await fetch(`${demo.url}/api/sandbox/launch?person=owner`)).json()
      expect(launch.roles).toEqual(['owner'])
      const owner = { ...json, authorization: `tma ${launch.initData}` }
      // Looking is fine...
      expect((await fetch(`${demo.url}/api/admin/users`, { headers: owner })).status).toBe(200)
      const product = await (await fetch(`${demo.url}/api/catalog/products/cappuccino`)).json()
      // ...changing anything that matters is not, whatever the route.
      const writes: [string, string, unknown][] = [
        ['POST', '/api/admin/users/9000000001/roles', { role: 'admin' }],
        ['PATCH', `/api/admin/catalog/products/${product.id}`, { priceMinor: 1 }],
        ['POST', `/api/admin/catalog/products/${product.id}/stock`, { delta: 5, reason: 'demo' }],
        ['PATCH', '/api/admin/delivery/settings', { telegramShipping: false }],
        ['POST', '/api/admin/payments/1/refund', { reason: 'demo' }],
        ['DELETE', '/api/admin/users/9000000099/roles/owner', undefined],
      ]
      for (const [method, path, body] of writes) {
        const res = await fetch(`${demo.url}${path}`, { method, headers: { ...owner, 'idempotency-key': 'demo-key-0001' }, body: body === undefined ? undefined : JSON.stringify(body) })
        expect(res.status, `${method} ${path}`).toBe(403)
        expect((await res.json()).code, `${method} ${path}`).toBe('demo_read_only')
      }
      expect((await (await fetch(`${demo.url}/api/catalog/products/cappuccino`)).json()).priceMinor).toBe(product.priceMinor)
      // The demo people's roles were granted by the seed, and the grants are in the audit log.
      const grants = await (await fetch(`${demo.url}/api/admin/audit?action=role.grant`, { headers: owner })).json()
      expect(grants.items.map((g: { entityId: string }) => g.entityId).sort()).toEqual(['9000000010', '9000000020', '9000000099'])

      // The warning again at the next start.
      await demo.stop()
      const again = await startApp({ env: { PUBLIC_DEMO: '1' }, dataDir, databaseUrl })
      expect(again.logs().filter((l) => l.level === 'warn' && String(l.msg).startsWith('PUBLIC_DEMO'))).toHaveLength(1)
      await again.stop()

      // The operator sets a real bot token on the same data: the demo owner, operator and staff are no more.
      await fake.listen()
      const realOwner = { id: 8880099, first_name: 'Real owner' }
      real = await startApp({ env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SESSION_SECRET: 'r'.repeat(40), ADMIN_TELEGRAM_IDS: String(realOwner.id) }, dataDir, databaseUrl })
      expect((await fetch(`${real.url}/api/sandbox/launch?person=owner`)).status).toBe(404)
      const headers = tmaHeaders(realOwner, fake.token)
      const staff = await (await fetch(`${real.url}/api/admin/users?limit=200`, { headers })).json()
      const withRoles = staff.items.filter((u: { roles: string[] }) => u.roles.length > 0).map((u: { user: { id: number } }) => u.user.id)
      expect(withRoles).toEqual([realOwner.id])
      // The real-world user who owns Telegram id 9000000099 is a customer, not an owner.
      const impostor = await fetch(`${real.url}/api/admin/users`, { headers: tmaHeaders({ id: 9_000_000_099, first_name: 'Someone' }, fake.token) })
      expect(impostor.status).toBe(403)
      const revoked = await (await fetch(`${real.url}/api/admin/audit?action=role.revoke`, { headers })).json()
      expect(revoked.items.map((r: { entityId: string }) => r.entityId).sort()).toEqual(['9000000010', '9000000020', '9000000099'])
      expect(real.logs().some((l) => l.msg === 'removed the staff roles of the sandbox demo people: a real bot is configured')).toBe(true)
    } finally {
      await demo.stop()
      await real?.stop()
      await fake.close()
      await database?.drop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 240_000)

  it('gives a real deployment no demo catalog, no demo people and no demo business unless asked (DEMO_DATA=1); the owner names the business', async () => {
    const fake = createFakeBotApi()
    await fake.listen()
    const app = await startApp({ env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SESSION_SECRET: 'r'.repeat(40), DEMO_DATA: undefined, ADMIN_TELEGRAM_IDS: '8880098' } })
    try {
      expect(app.logs().some((l) => l.msg === 'demo data seeded on first start')).toBe(false)
      // Started as the image starts it (--expose-gc): the start's garbage went back before ready.
      expect(app.logs().find((l) => l.msg === 'ready')).toMatchObject({ gcMs: expect.any(Number) })
      expect((await (await fetch(`${app.url}/api/catalog/products`)).json()).items).toEqual([])
      const users = await (await fetch(`${app.url}/api/admin/users?limit=200`, { headers: tmaHeaders({ id: 8880098, first_name: 'Owner' }, fake.token) })).json()
      expect(users.items.map((u: { user: { id: number } }) => u.user.id)).toEqual([8880098])
      // Public pages and the API work on an empty shop.
      for (const path of ['/', '/catalog', '/api/business', '/api/catalog/categories', '/api/catalog/facets', '/sitemap.xml']) {
        expect((await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } })).status, path).toBe(200)
      }
      // No made-up business either: the profile is blank (not the demo coffee shop) until the owner saves it.
      const owner = { 'content-type': 'application/json', ...tmaHeaders({ id: 8880098, first_name: 'Owner' }, fake.token) }
      expect((await (await fetch(`${app.url}/api/business`)).json()).profile).toMatchObject({ name: { ru: '', en: '' }, phone: '', address: { ru: '' } })
      expect(await (await fetch(`${app.url}/`)).text()).not.toMatch(/Зерно|Покровка|120-45-67/)
      expect(await (await fetch(`${app.url}/api/admin/settings/business`, { headers: owner })).json()).toMatchObject({ configured: false })
      const profile = {
        name: { ru: 'Пекарня «Колос»', en: 'Kolos Bakery' },
        tagline: { ru: 'Хлеб на закваске каждое утро', en: 'Sourdough bread every morning' },
        address: { ru: 'Казань, ул. Баумана, 7', en: '7 Baumana St, Kazan' },
        phone: '+7 843 200-10-10',
        hours: { ru: 'Ежедневно 7:00–20:00', en: 'Daily 7 am – 8 pm' },
        timezone: 'Europe/Moscow',
      }
      const bad = await fetch(`${app.url}/api/admin/settings/business`, { method: 'PATCH', headers: owner, body: JSON.stringify({ ...profile, timezone: 'Kazan' }) })
      expect(bad.status).toBe(400)
      expect(await bad.json()).toMatchObject({ code: 'validation_failed', details: [{ path: 'timezone' }] })
      const stranger = { 'content-type': 'application/json', ...tmaHeaders({ id: 8880099, first_name: 'Stranger' }, fake.token) }
      expect((await fetch(`${app.url}/api/admin/settings/business`, { method: 'PATCH', headers: stranger, body: JSON.stringify(profile) })).status).toBe(403)
      expect((await fetch(`${app.url}/api/admin/settings/business`, { method: 'PATCH', headers: owner, body: JSON.stringify(profile) })).status).toBe(200)
      // What the owner left out stays empty: the Mini App says "Каталог", search engines get no country.
      expect((await (await fetch(`${app.url}/api/business`)).json()).profile).toMatchObject({ name: profile.name, menuHint: { ru: '', en: '' }, catalogTitle: { ru: '', en: '' }, country: '' })
      const landing = await (await fetch(`${app.url}/`)).text()
      expect(landing).toContain('Пекарня «Колос»')
      expect(landing).toContain('"streetAddress":"Казань, ул. Баумана, 7"')
      expect(landing).not.toContain('addressCountry')
    } finally {
      await app.stop()
      await fake.close()
    }
  }, 120_000)
})
