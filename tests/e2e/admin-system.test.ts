import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { metricsHeaders, type RunningApp } from '../helpers/app'
import { startBotApp, type BotApp } from '../helpers/bot-app'
import { launchBrowser } from '../helpers/browser'
import { eventually } from '../helpers/eventually'
import type { InitUser } from '../helpers/telegram-users'
import { expectAdminScreen, pageOverflow } from '../helpers/admin'

/**
 * The system page against the built app: an owner sees the release, database, migrations, queues
 * and a scheduled backup that failed (the owner was told in the chat, /metrics says so too); a
 * manager may not look. Screens at 390 px and 1440 px, light and dark, ru and en.
 */
const OWNER: InitUser = { id: 883_000_001, first_name: 'Алексей', last_name: 'Зернов', language_code: 'ru' }
const MANAGER: InitUser = { id: 883_000_002, first_name: 'Ольга', last_name: 'Менеджер', language_code: 'en' }

let bot: BotApp
let fake: FakeBotApi
let app: RunningApp
let browser: Browser

const api: BotApp['api'] = (path, init) => bot.api(path, init)

beforeAll(async () => {
  bot = await startBotApp('admin-system', {
    env: {
      ADMIN_TELEGRAM_IDS: String(OWNER.id),
      // Every minute, into a "folder" that is a file: the backup fails, as on a full or missing disk.
      BACKUP_SCHEDULE: '* * * * *',
      BACKUP_DIR: '/dev/null/backups',
    },
  })
  ;({ fake, app } = bot)
  for (const user of [OWNER, MANAGER]) expect((await api('/api/me', { user })).status).toBe(200)
  expect((await api(`/api/admin/users/${MANAGER.id}/roles`, { method: 'POST', user: OWNER, body: { role: 'manager' } })).status).toBe(200)
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await bot?.stop()
})

describe('the system page', () => {
  it('shows an owner the release, database, migrations and queues; a manager may not see it', async () => {
    // The app sets its webhook from a queued job just after start: Telegram reports it once that ran.
    await expect.poll(async () => (await api('/api/admin/system', { user: OWNER })).body.telegram?.webhook?.url, { timeout: 30_000 }).toBe(`${bot.publicUrl}/api/telegram/webhook`)
    const system = await api('/api/admin/system', { user: OWNER })
    expect(system.status).toBe(200)
    expect(system.body).toMatchObject({ version: expect.any(String), engine: app.databaseUrl ? 'postgres' : 'pglite', migrations: { pending: 0 }, telegram: { mode: 'webhook', webhook: { url: `${bot.publicUrl}/api/telegram/webhook` } } })
    expect(system.body.queues.map((q: { name: string }) => q.name)).toContain('system.backup')
    expect((await api('/api/admin/system', { user: MANAGER })).status).toBe(403)
    expect((await api('/api/admin/system')).status).toBe(401)
  })

  it('reports a failed scheduled backup in the page, in /metrics and to the owner in the chat', async () => {
    const status = await eventually(async () => (await api('/api/admin/system', { user: OWNER })).body.backup.status, 100_000, 1000)
    expect(status).toMatchObject({ ok: false, error: expect.stringMatching(/ENOTDIR|EEXIST|ENOENT/) })
    const alert = await eventually(() => fake.callsOf('sendMessage').find((c) => Number(c.params.chat_id) === OWNER.id && String(c.params.text).includes('Резервная копия не сделана')), 30_000)
    expect(String(alert.params.text)).toContain('/admin')
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
    expect(metrics).toMatch(/^backup_last_attempt_failed 1$/m)
    expect(metrics).toMatch(/^telegram_updates_stored\{status="failed"\} 0$/m)
  }, 150_000)

  it('reads well on a phone and a desktop, light and dark, in Russian and English', async () => {
    // One sign-in (links are rate limited), its cookie reused by every screen's context.
    const signIn = await browser.newContext()
    const first = await signIn.newPage()
    await first.goto(await bot.adminLink(OWNER))
    await first.waitForURL(`${app.url}/admin`)
    const storageState = await signIn.storageState()
    await signIn.close()
    for (const [size, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1440, height: 900 }]] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        for (const lang of ['ru', 'en'] as const) {
          const context = await browser.newContext({ storageState, viewport, colorScheme: scheme, locale: lang === 'ru' ? 'ru-RU' : 'en-US', hasTouch: size === 'phone', isMobile: size === 'phone', deviceScaleFactor: 1 })
          await context.addInitScript((l) => localStorage.setItem('admin.locale', l), lang)
          const page = await context.newPage()
          await page.goto(`${app.url}/admin/system`)
          await page.getByTestId('system-facts').waitFor()
          const backup = page.getByTestId('system-backup')
          await expect.poll(() => backup.textContent()).toMatch(lang === 'ru' ? /не удалась/ : /failed/)
          await expectAdminScreen(page, `system-${size}-${scheme}-${lang}`)
          expect(await pageOverflow(page)).toBeLessThanOrEqual(0)
          await context.close()
        }
      }
    }
  }, 240_000)
})
