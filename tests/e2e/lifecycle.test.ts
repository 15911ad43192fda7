import { resolve } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPglite, openPostgres } from '../../server/db/client'
import { storeUpdate } from '../../server/services/telegram/updates'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp } from '../helpers/app'
import { createPostgresDatabase, engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'

const customer = { id: 777001, is_bot: false, first_name: 'Emma', language_code: 'en' }
let fake: FakeBotApi
const botEnv = () => ({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, SESSION_SECRET: 'y'.repeat(40) })

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
})
afterAll(() => fake?.close())

describe('start-up', () => {
  it('refuses to start on bad configuration, printing one line per problem', async () => {
    const app = await startApp({ waitForReady: false, env: { DATABASE_URL: 'mysql://nope', PORT: 'eighty', TELEGRAM_UPDATES: 'smoke-signals' } })
    expect(await app.exited).toBe(1)
    const lines = app.output().trim().split('\n').filter((l) => l.startsWith('config error: '))
    for (const name of ['DATABASE_URL', 'PORT', 'TELEGRAM_UPDATES']) expect(lines.some((l) => l.startsWith(`config error: ${name}: `))).toBe(true)
    // Nothing started: no listener, no stack trace.
    expect(app.output()).not.toContain('Listening on')
    expect(app.output()).not.toMatch(/\n\s+at /)
    expect(lines).toHaveLength(3)
    await app.stop()
  })

  it('polls for updates without an https PUBLIC_URL, and answers /start', async () => {
    const app = await startApp({ env: { ...botEnv(), PUBLIC_URL: 'http://localhost:3000' } })
    try {
      await fake.waitFor('deleteWebhook', undefined, 15_000)
      fake.queueUpdate(fake.updates.command(customer, '/start'))
      const sent = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === customer.id, 15_000)
      expect(String(sent.params.text)).toContain('Zerno Coffee')
    } finally {
      expect(await app.stop()).toBe(0)
    }
  })

  it('keeps its data across restarts, seeds only once and shuts down cleanly on SIGTERM', async () => {
    const first = await startApp({ env: botEnv() })
    const dataDir = first.dataDir
    const databaseUrl = first.databaseUrl
    expect(first.logs().some((l) => l.msg === 'demo data seeded on first start')).toBe(true)
    // Keep the data dir / database: stop the process only.
    first.process.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(first.logs().map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: finishing running work', 'shutdown complete']))

    // A crash between storing an update and handling it: the update is in the database, unhandled.
    const db = engine === 'postgres' ? await openPostgres(databaseUrl!) : await openPglite({ dataDir: resolve(dataDir, 'pglite') })
    fake.clear()
    await storeUpdate(db.db, { ...fake.updates.command({ ...customer, id: 777002 }, '/help') })
    await db.close()

    const second = await startApp({ env: botEnv(), dataDir, databaseUrl })
    try {
      expect(second.logs().some((l) => l.msg === 'demo data seeded on first start')).toBe(false)
      const reply = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === 777002, 20_000)
      expect(String(reply.params.text)).toContain('/start')
    } finally {
      await second.stop()
    }
  }, 180_000)
})

describe.runIf(engine === 'postgres')('readiness on PostgreSQL', () => {
  it('answers 503 while the database is unreachable and 200 again once it is back', async () => {
    const created = await createPostgresDatabase()
    const name = new URL(created.url).pathname.slice(1)
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} })
    const app = await startApp({ env: botEnv(), databaseUrl: created.url })
    try {
      await admin.unsafe(`alter database ${name} allow_connections false`)
      await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`)
      const down = await eventually(async () => {
        const res = await fetch(`${app.url}/api/ready`)
        return res.status === 503 ? res.json() : false
      }, 15_000)
      expect(down).toMatchObject({ status: 'degraded', code: 'not_ready', checks: { database: { ok: false } } })
      // Liveness is not readiness: the process itself is fine.
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200)

      await admin.unsafe(`alter database ${name} allow_connections true`)
      await eventually(async () => (await fetch(`${app.url}/api/ready`)).status === 200, 30_000)
    } finally {
      await admin.unsafe(`alter database ${name} allow_connections true`).catch(() => {})
      await app.stop()
      await admin.end()
      await created.drop()
    }
  })
})
