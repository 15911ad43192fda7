import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { metricsHeaders, startApp, type RunningApp } from '../helpers/app'
import { eventually } from '../helpers/eventually'

/**
 * The built app (`node .output/server/index.mjs`, the Docker image's command) against a fake
 * Bot API, the way Telegram would talk to a production install: real token format, https
 * PUBLIC_URL, webhook mode, secret header.
 */
const SECRET = 'test-webhook-secret-0123456789'
const customer = { id: 424242, is_bot: false, first_name: 'Мария', language_code: 'ru' }

let fake: FakeBotApi
let app: RunningApp

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const deliver = (update: unknown, secret = SECRET) => post('/api/telegram/webhook', update, { 'x-telegram-bot-api-secret-token': secret })

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
  app = await startApp({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_UPDATES: 'webhook',
      PUBLIC_URL: 'https://shop.example.com',
      SESSION_SECRET: 'x'.repeat(40),
    },
  })
})

afterAll(async () => {
  await app?.stop()
  await fake?.close()
})

describe('start-up', () => {
  it('registers the webhook with the secret, the menu button and the commands', async () => {
    const setWebhook = await fake.waitFor('setWebhook', undefined, 15_000)
    expect(setWebhook.params).toMatchObject({ url: 'https://shop.example.com/api/telegram/webhook', secret_token: SECRET, max_connections: 40 })
    const menu = await fake.waitFor('setChatMenuButton', undefined, 15_000)
    expect(menu.params.menu_button).toMatchObject({ type: 'web_app', web_app: { url: 'https://shop.example.com/app' } })
    await fake.waitFor('setMyCommands', (p) => (p as { language_code?: string }).language_code === 'ru', 15_000)
  })

  it('answers health and readiness, and echoes a request id', async () => {
    const health = await fetch(`${app.url}/api/health`, { headers: { 'x-request-id': 'trace-abc.123' } })
    expect(health.status).toBe(200)
    expect(health.headers.get('x-request-id')).toBe('trace-abc.123')
    expect(await health.json()).toEqual({ status: 'ok' })

    const ready = await fetch(`${app.url}/api/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, queue: { ok: true } } })

    const generated = await fetch(`${app.url}/api/health`, { headers: { 'x-request-id': 'bad id with spaces' } })
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.runIf(process.platform === 'linux')('listens on 16 sockets, so a flood does not keep new connections out, and answers on each', async () => {
    // Node accepts one connection per turn of its event loop; server/entry.ts spreads the port over
    // 16 sockets (SO_REUSEPORT). /proc/net/tcp lists each listening socket (state 0A) with its port.
    const port = Number(new URL(app.url).port).toString(16).toUpperCase().padStart(4, '0')
    const listening = readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((line) => {
      const [, local, , state] = line.trim().split(/\s+/)
      return state === '0A' && local?.endsWith(`:${port}`)
    })
    expect(listening).toHaveLength(16)
    // 200 connections at once (each its own socket): the kernel spreads them over the 16; all answered.
    const answers = await Promise.all(Array.from({ length: 200 }, () => fetch(`${app.url}/api/health`, { headers: { connection: 'close' } }).then((res) => res.status)))
    expect(answers.every((status) => status === 200)).toBe(true)
  })

  it('logs JSON lines with the request id and never prints a secret', async () => {
    await fetch(`${app.url}/api/nope`, { headers: { 'x-request-id': 'log-check-1' } })
    await new Promise((r) => setTimeout(r, 100))
    const line = app.logs().find((entry) => entry.requestId === 'log-check-1')
    expect(line).toMatchObject({ level: 'info', msg: 'request', status: 404, path: '/api/nope' })
    expect(app.output()).not.toContain(fake.token)
    expect(app.output()).not.toContain(SECRET)
  })
})

describe('with a real bot token', () => {
  it('turns the sandbox off: its page and API answer 404', async () => {
    expect((await fetch(`${app.url}/sandbox`)).status).toBe(404)
    const api = await fetch(`${app.url}/api/sandbox/launch?person=customer`)
    expect(api.status).toBe(404)
    expect(await api.json()).toMatchObject({ code: 'not_found' })
    const chat = await post('/api/sandbox/chat', { person: 'customer', text: '/start' })
    expect(chat.status).toBe(404)
  })
})

describe('errors', () => {
  it('answers unknown API routes with a JSON 404 carrying a code', async () => {
    const res = await fetch(`${app.url}/api/does-not-exist`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(await res.json()).toMatchObject({ statusCode: 404, code: 'not_found' })
  })
})

describe('webhook', () => {
  it('refuses a missing or wrong secret with 401 and stores nothing', async () => {
    const update = fake.updates.command(customer, '/start')
    const missing = await post('/api/telegram/webhook', update)
    expect(missing.status).toBe(401)
    expect(await missing.json()).toMatchObject({ code: 'webhook_secret_mismatch' })
    const wrong = await deliver(update, SECRET.replace('0', '1'))
    expect(wrong.status).toBe(401)
    const shorter = await deliver(update, 'short')
    expect(shorter.status).toBe(401)
    // Not stored: the genuine delivery afterwards is the first one.
    const genuine = await deliver(update)
    expect(await genuine.json()).toEqual({ ok: true, duplicate: false })
  })

  it('rejects bodies that are not updates with a validation error', async () => {
    for (const body of ['{not json', { update_id: 'x' }, { update_id: 5 }, [1, 2]]) {
      const res = await deliver(body)
      expect(res.status).toBe(400)
      expect((await res.json()).code).toMatch(/validation_failed|bad_request/)
    }
  })

  it('answers /start with a button that opens the Mini App', async () => {
    fake.clear()
    const update = fake.updates.command(customer, '/start', 'product_cappuccino')
    const res = await deliver(update)
    expect(res.status).toBe(200)
    // The reply to this /start (the earlier test's /start may be answered after fake.clear()).
    const sent = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === customer.id && JSON.stringify(p.reply_markup ?? '').includes('product_cappuccino'), 10_000)
    expect(String(sent.params.text)).toContain('Кофейня «Зерно»')
    const button = (sent.params.reply_markup as { inline_keyboard: { web_app?: { url: string } }[][] }).inline_keyboard[0]![0]!
    expect(button.web_app?.url).toBe('https://shop.example.com/app?tgWebAppStartParam=product_cappuccino')
  })

  it('handles a repeated update_id once, even when both deliveries arrive at the same time', async () => {
    fake.clear()
    const update = fake.updates.command({ ...customer, id: 515151 }, '/help')
    const answers = await Promise.all([deliver(update), deliver(update), deliver(update)])
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    const bodies = await Promise.all(answers.map((r) => r.json()))
    expect(bodies.filter((b) => b.duplicate === false)).toHaveLength(1)
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === 515151, 10_000)
    // A late replay (Telegram retrying) is acknowledged and ignored as well.
    expect(await (await deliver(update)).json()).toEqual({ ok: true, duplicate: true })
    await new Promise((r) => setTimeout(r, 1500))
    expect(fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 515151)).toHaveLength(1)
  })

  it('keeps an update whose handling failed and retries it until it succeeds', async () => {
    fake.clear()
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, 1)
    const update = fake.updates.command({ ...customer, id: 616161 }, '/start')
    const res = await deliver(update)
    expect(res.status).toBe(200)
    // First attempt fails at sendMessage; the queued retry (5 s backoff) sends the reply.
    const attempts = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 616161)
    await eventually(() => attempts().length === 2, 30_000)
    expect(String(attempts()[1]!.params.text)).toContain('Зерно')
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
    expect(metrics).toMatch(/telegram_updates_total\{result="failed"\} [1-9]/)
  })
})

describe('metrics', () => {
  it('exposes request durations by route and status, queue depth and process metrics', async () => {
    const res = await fetch(`${app.url}/metrics`, { headers: metricsHeaders })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} \d+/)
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/telegram\/webhook",status="401"\} \d+/)
    expect(text).toMatch(/queue_jobs_queued\{queue="telegram.retry-update"\} \d+/)
    expect(text).toMatch(/queue_jobs_failed\{queue="telegram.configure"\} \d+/)
    expect(text).toContain('process_resident_memory_bytes')
  })
})

afterAll(() => {
  if (process.env.DEBUG_APP_OUTPUT) console.log(app.output().split('\n').filter((l) => !l.includes('"msg":"request"')).join('\n'))
})
