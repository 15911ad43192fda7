import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import { metricsHeaders, type RunningApp } from '../helpers/app'
import { startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * The built app (`node .output/server/index.mjs`, the Docker image's command) against a fake
 * Bot API, the way Telegram would talk to a production install: real token format, https
 * PUBLIC_URL, webhook mode, secret header.
 */
const SECRET = 'test-webhook-secret-0123456789'
const customer = { id: 424242, is_bot: false, first_name: 'Мария', language_code: 'ru' }
const owner: InitUser = { id: 424200, first_name: 'Алексей', language_code: 'ru' }

let fake: FakeBotApi
let app: RunningApp

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const deliver = (update: unknown, secret = SECRET) => post('/api/telegram/webhook', update, { 'x-telegram-bot-api-secret-token': secret })

beforeAll(async () => {
  // READ_MODEL_TTL: nothing may pass because an in-memory copy simply expired (the hot answers below).
  ;({ fake, app } = await startWebhookApp({ secret: SECRET, env: { PUBLIC_URL: 'https://shop.example.com', ADMIN_TELEGRAM_IDS: String(owner.id), READ_MODEL_TTL: '3600' } }))
})

afterAll(() => stopWebhookApp({ app, fake }))

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

  it('answers HEAD as GET without the body but with its length (uptime monitors, crawlers), and logs it as HEAD', async () => {
    for (const path of ['/api/health', '/api/ready', '/robots.txt', '/sitemap.xml', '/api/catalog/products?limit=2', '/']) {
      const get = await fetch(`${app.url}${path}`)
      const head = await fetch(`${app.url}${path}`, { method: 'HEAD', headers: { 'x-request-id': `head-${path.length}` } })
      expect({ path, status: head.status }).toEqual({ path, status: get.status })
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
      // The length the GET's body has (its own header, or the bytes of a body sent in chunks).
      expect({ path, length: head.headers.get('content-length') }).toEqual({ path, length: get.headers.get('content-length') ?? String((await get.arrayBuffer()).byteLength) })
      expect(await head.text()).toBe('')
    }
    const missing = await fetch(`${app.url}/api/nope`, { method: 'HEAD' })
    expect(missing.status).toBe(404)
    await new Promise((r) => setTimeout(r, 100))
    expect(app.logs().find((entry) => entry.requestId === 'head-11')).toMatchObject({ method: 'HEAD', path: '/robots.txt', status: 200 })
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

/**
 * The catalog's public reads answered before h3 (server/utils/hot-answers.ts): a customer or an
 * integrator must not be able to tell a hot answer from the one h3 gives - same status, bytes and
 * headers, a request id of its own, a log line and a metric - and a change to the catalog is in the
 * very next answer.
 */
const hotCount = async () => {
  const text = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
  return Number(/^http_hot_answers_total (\d+)/m.exec(text)?.[1] ?? NaN)
}
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${app.url}${path}`, { headers })
  return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() }
}
/** The headers that must be the same on any two answers to the same URL. */
const comparable = (headers: Record<string, string>) => {
  const { date: _date, 'x-request-id': _id, ...rest } = headers
  return rest
}
const patchProduct = async (id: number, change: { priceMinor?: number; isActive?: boolean }) => {
  const res = await fetch(`${app.url}/api/admin/catalog/products/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...tmaHeaders(owner, fake.token) }, body: JSON.stringify(change) })
  expect(res.status).toBe(200)
}
const setPrice = (id: number, priceMinor: number) => patchProduct(id, { priceMinor })

describe('hot answers', () => {
  it('answers a repeated catalog read with the same bytes and headers, its own request id, a log line and a metric', async () => {
    const path = '/api/catalog/products?category=coffee&sort=price_asc'
    const first = await get(path)
    expect(first.status).toBe(200)
    const before = await hotCount()
    const second = await get(path)
    const third = await get(path, { 'x-request-id': 'trace-hot.1' })
    expect(await hotCount()).toBe(before + 2)
    for (const again of [second, third]) {
      expect(again.status).toBe(200)
      expect(again.text).toBe(first.text)
      expect(comparable(again.headers)).toEqual(comparable(first.headers))
    }
    expect(first.headers['content-security-policy']).toBeTruthy()
    expect(first.headers['content-type']).toBe('application/json')
    expect(second.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
    expect(third.headers['x-request-id']).toBe('trace-hot.1')
    const logged = app.logs().filter((l) => l.msg === 'request' && l.route === '/api/catalog/products')
    expect(logged.map((l) => l.requestId)).toEqual(expect.arrayContaining([first.headers['x-request-id'], second.headers['x-request-id'], 'trace-hot.1']))
    expect(logged.find((l) => l.requestId === 'trace-hot.1')).toMatchObject({ method: 'GET', path: '/api/catalog/products', status: 200 })
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: metricsHeaders })).text()
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/catalog\/products",status="200"\} [3-9]/)
  })

  it('has a price the owner changed in the very next answer', async () => {
    const path = '/api/catalog/products?q=%D0%BA%D0%B0%D0%BF%D1%83%D1%87%D0%B8%D0%BD%D0%BE'
    const items = (text: string) => (JSON.parse(text) as { items: { id: number; slug: string; priceMinor: number }[] }).items
    const first = await get(path)
    const cappuccino = items(first.text).find((p) => p.slug === 'cappuccino')!
    expect(cappuccino).toBeDefined()
    await get(path)
    const hot = await hotCount()
    await setPrice(cappuccino.id, cappuccino.priceMinor + 700)
    const after = await get(path)
    expect(items(after.text).find((p) => p.slug === 'cappuccino')?.priceMinor).toBe(cappuccino.priceMinor + 700)
    // Answered by h3 (the kept answer belonged to the old catalog), then kept again.
    expect(await hotCount()).toBe(hot)
    expect((await get(path)).text).toBe(after.text)
    expect(await hotCount()).toBe(hot + 1)
    await setPrice(cappuccino.id, cappuccino.priceMinor)
    expect(items((await get(path)).text).find((p) => p.slug === 'cappuccino')?.priceMinor).toBe(cappuccino.priceMinor)
  })

  it('keeps a product, the categories and the facets as well; a hidden product is gone from the very next answer', async () => {
    const product = '/api/catalog/products/americano'
    const categories = '/api/catalog/categories'
    const facets = '/api/catalog/facets'
    const first = { product: await get(product), categories: await get(categories), facets: await get(facets) }
    expect(first.product.status).toBe(200)
    expect(first.categories.headers['cache-control']).toBe('public, max-age=60')
    expect(JSON.parse(first.facets.text)).toMatchObject({ priceMin: expect.any(Number), priceMax: expect.any(Number), tags: expect.arrayContaining(['hot']) })
    const hot = await hotCount()
    const again = { product: await get(product), categories: await get(categories), facets: await get(facets) }
    expect(await hotCount()).toBe(hot + 3)
    for (const key of ['product', 'categories', 'facets'] as const) {
      expect(again[key].text).toBe(first[key].text)
      expect(comparable(again[key].headers)).toEqual(comparable(first[key].headers))
    }
    // Logged like h3's: the path asked for, the route's pattern.
    const line = (id: string) => app.logs().find((l) => l.msg === 'request' && l.requestId === id)
    for (const answer of [first.product, again.product]) expect(line(answer.headers['x-request-id']!)).toMatchObject({ path: product, route: '/api/catalog/products/:slug', status: 200 })
    const { id } = JSON.parse(first.product.text) as { id: number }
    await patchProduct(id, { isActive: false })
    const hidden = await get(product)
    expect(hidden.status).toBe(404)
    expect(JSON.parse(hidden.text)).toMatchObject({ code: 'not_found' })
    await patchProduct(id, { isActive: true })
    expect((await get(product)).status).toBe(200)
  })

  it('answers the liveness check the same way, in the turn that read it: same bytes and headers, no log line', async () => {
    const first = await get('/api/health')
    const hot = await hotCount()
    const again = await get('/api/health', { 'x-request-id': 'trace-health.1' })
    expect(await hotCount()).toBe(hot + 1)
    expect(again.status).toBe(200)
    expect(JSON.parse(again.text)).toEqual({ status: 'ok' })
    expect(again.text).toBe(first.text)
    expect(comparable(again.headers)).toEqual(comparable(first.headers))
    expect(again.headers['cache-control']).toBe('no-store')
    expect(again.headers['x-request-id']).toBe('trace-health.1')
    // Probes are counted in the duration metric, not written to the access log (as through h3).
    expect(app.logs().some((l) => l.requestId === 'trace-health.1')).toBe(false)
  })

  it('keeps the order of answers on a connection that sends several requests at once, the probe among them', async () => {
    // The probe is written where it is read and the other hot answers at the end of the turn; HTTP
    // still answers pipelined requests in the order asked, whoever is written first.
    const search = '/api/catalog/products?q=latte'
    const list = '/api/catalog/products?limit=3'
    const expected = [await get(search), await get('/api/health'), await get(list)]
    await get(search)
    await get(list)
    const hot = await hotCount()
    const { port } = new URL(app.url)
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1')
      let text = ''
      socket.setEncoding('utf8')
      socket.on('data', (chunk: string) => {
        text += chunk
        if (text.split('\r\n\r\n').length > 3 && text.endsWith(expected[2]!.text)) socket.end()
      })
      socket.on('end', () => resolve(text))
      socket.on('error', reject)
      socket.write([search, '/api/health', list].map((path, i) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: pipelined-${i}\r\n\r\n`).join(''))
    })
    expect(await hotCount()).toBe(hot + 3)
    const answers = raw.split(/(?=HTTP\/1\.1 )/)
    expect(answers).toHaveLength(3)
    answers.forEach((answer, i) => {
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
      expect(answer.toLowerCase()).toContain(`x-request-id: pipelined-${i}\r\n`)
      expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe(expected[i]!.text)
    })
  })

  it('leaves to h3 what it must not answer: other methods, a body, a refused query', async () => {
    const path = '/api/catalog/products?limit=5'
    await get(path)
    await get(path)
    const hot = await hotCount()
    // HEAD goes to h3, which runs it as the GET (no body): not a hot answer.
    expect((await fetch(`${app.url}${path}`, { method: 'HEAD' })).status).toBe(200)
    // A GET carrying a body (node's client allows it): h3 answers it as it would without the hot answers.
    const withBody = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}${path}`, { method: 'GET', headers: { 'content-type': 'application/json', 'content-length': '2' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode!))
      })
      req.on('error', reject)
      req.end('{}')
    })
    expect(withBody).toBe(200)
    const refused = '/api/catalog/products?limit=100000'
    for (let i = 0; i < 2; i++) {
      const answer = await get(refused)
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.text)).toMatchObject({ code: expect.any(String) })
    }
    expect(await hotCount()).toBe(hot)
  })
})

afterAll(() => {
  if (process.env.DEBUG_APP_OUTPUT) console.log(app.output().split('\n').filter((l) => !l.includes('"msg":"request"')).join('\n'))
})
