import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { engine } from '../helpers/db'
import { tmaHeaders } from '../helpers/telegram-users'
import { API_SCOPES } from '../../shared/schemas/partner-api'
import { operationsOf, requestFor, telegramUpdates, type FuzzRequest, type OpenApiOperation } from '../helpers/openapi-fuzz'

/**
 * Fuzzes every operation of GET /api/openapi.json (so a route is fuzzed as soon as it is
 * documented, and tests/server/openapi.test.ts makes sure every route is) with requests generated
 * by fast-check from its schemas: valid values mixed with wrong types, out-of-range numbers, NUL,
 * invalid UTF-8, huge strings, missing and extra fields, broken JSON and oversized bodies — as an
 * anonymous visitor, a customer and an owner. Any 5xx fails, with the request that caused it.
 *
 * Bounded by default (a fixed seed, FUZZ_RUNS requests per operation and identity). Longer or
 * different runs: `FUZZ_RUNS=200 FUZZ_SEED=12345 npx vitest run tests/e2e/fuzz.test.ts`
 * (FUZZ_SEED=random picks one and prints it); FUZZ_ONLY narrows it to some paths.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20)
/** `FUZZ_ONLY=/api/account,/api/admin/customers`: fuzz only the operations whose path contains one of these (a module's new routes). */
const ONLY = process.env.FUZZ_ONLY?.split(',').filter(Boolean)
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20_261_130)
const SECRET = 'fuzz-webhook-secret-0123456789'
const OWNERS = Array.from({ length: 8 }, (_, i) => 9_100_000_001 + i)
const CUSTOMERS = Array.from({ length: 16 }, (_, i) => 9_200_000_001 + i)

type Identity = 'anonymous' | 'customer' | 'owner'
type Failure = { operation: string; identity: Identity; status: number | string; request: string; response: string }

let fake: FakeBotApi
let shop: RunningApp
let demo: RunningApp
let counter = 0
/** A partner API key with every scope (and room for the fuzzing's pace): the "owner" pass uses it on /api/v1. */
let partnerKey = ''

beforeAll(async () => {
  console.log(`fuzz: seed ${SEED}, ${RUNS} requests per operation and identity (FUZZ_SEED / FUZZ_RUNS to change)`)
  fake = createFakeBotApi()
  await fake.listen()
  ;[shop, demo] = await Promise.all([
    startApp({
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_UPDATES: 'webhook',
        PUBLIC_URL: 'https://shop.example.com',
        SESSION_SECRET: 'f'.repeat(40),
        PAYMENT_PROVIDER_TOKEN: '381764678:TEST:100500',
        ADMIN_TELEGRAM_IDS: OWNERS.join(','),
        // Every request comes from its own address, so the per-IP limits leave the fuzzing alone.
        TRUST_PROXY: '1',
        LOG_LEVEL: 'error',
      },
    }),
    startApp({ env: { TRUST_PROXY: '1', LOG_LEVEL: 'error' } }),
  ])
  const created = await fetch(`${shop.url}/api/admin/api-keys`, {
    method: 'POST',
    headers: { ...tmaHeaders({ id: OWNERS[0]!, first_name: 'owner' }, fake.token), 'content-type': 'application/json', 'x-forwarded-for': '10.255.255.254' },
    body: JSON.stringify({ name: 'fuzz', scopes: [...API_SCOPES], rateLimitPerMinute: 10_000 }),
  })
  partnerKey = ((await created.json()) as { token: string }).token
}, 180_000)
afterAll(async () => {
  await shop?.stop()
  await demo?.stop()
  await fake?.close()
})

function identityHeaders(op: OpenApiOperation, identity: Identity): Record<string, string> {
  const n = counter++
  const headers: Record<string, string> = { 'x-forwarded-for': `10.${(n >> 8) & 255}.${n & 255}.${(n >> 16) & 255}` }
  if (identity === 'anonymous') return headers
  const pool = identity === 'owner' ? OWNERS : CUSTOMERS
  Object.assign(headers, tmaHeaders({ id: pool[n % pool.length]!, first_name: identity, language_code: n % 2 ? 'ru' : 'en' }, fake.token))
  // Telegram itself knows the webhook secret; the "owner" pass plays Telegram there.
  if (op.auth === 'telegram' && identity === 'owner') headers['x-telegram-bot-api-secret-token'] = SECRET
  // A partner calls /api/v1 with its API key; the other passes send initData there (refused).
  if (op.auth === 'apiKey' && identity === 'owner') headers.authorization = `Bearer ${partnerKey}`
  return headers
}

const describeRequest = (op: OpenApiOperation, req: FuzzRequest) => `${op.method} ${req.path}${req.query} ${req.contentType ?? ''} ${req.body ? req.body.subarray(0, 300).toString('utf8') : ''}`

async function send(app: RunningApp, op: OpenApiOperation, identity: Identity, req: FuzzRequest) {
  const headers: Record<string, string> = { ...identityHeaders(op, identity), ...req.headers }
  if (req.contentType) headers['content-type'] = req.contentType
  const res = await fetch(`${app.url}${req.path}${req.query}`, { method: op.method, headers, body: op.method === 'GET' ? undefined : req.body, redirect: 'manual', signal: AbortSignal.timeout(30_000) })
  // An event stream that opened never ends by itself: its status is the answer.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel()
    return { status: res.status, text: '' }
  }
  const text = await res.text()
  return { status: res.status, text }
}

async function fuzzOperations(app: RunningApp, operations: OpenApiOperation[], identities: Identity[]): Promise<Failure[]> {
  const failures: Failure[] = []
  const updates = telegramUpdates()
  for (const op of operations) {
    for (const identity of identities) {
      const name = `${op.method} ${op.path}`
      // A seed per operation and identity: the same inputs on every run unless FUZZ_SEED changes.
      const seed = (SEED + [...`${name} ${identity}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) | 0
      let failure: Failure | undefined
      await fc
        .assert(
          fc.asyncProperty(requestFor(op, updates), async (req) => {
            let result: { status: number; text: string }
            try {
              result = await send(app, op, identity, req)
            } catch (error) {
              failure = { operation: name, identity, status: `no answer: ${(error as Error).message}`, request: describeRequest(op, req), response: '' }
              return false
            }
            if (result.status >= 500) {
              failure = { operation: name, identity, status: result.status, request: describeRequest(op, req), response: result.text.slice(0, 300) }
              return false
            }
            return true
          }),
          { numRuns: RUNS, seed, endOnFailure: true },
        )
        .catch(() => failures.push(failure!))
    }
  }
  return failures
}

describe(`fuzzing every documented operation (${engine})`, () => {
  it('never answers 5xx to anything an anonymous visitor, a customer or an owner sends', async () => {
    const document = await (await fetch(`${shop.url}/api/openapi.json`)).json()
    const documented = operationsOf(document)
    expect(documented.length).toBeGreaterThan(60)
    const operations = ONLY ? documented.filter((op) => ONLY.some((part) => op.path.includes(part))) : documented
    // The sandbox's routes exist only without a bot token: they are fuzzed on the public demo.
    const shopOps = operations.filter((op) => !op.path.startsWith('/api/sandbox/'))
    const sandboxOps = operations.filter((op) => op.path.startsWith('/api/sandbox/'))
    const started = Date.now()
    const failures = [...(await fuzzOperations(shop, shopOps, ['anonymous', 'customer', 'owner'])), ...(await fuzzOperations(demo, sandboxOps, ['anonymous']))]
    console.log(`fuzz: ${counter} requests in ${Math.round((Date.now() - started) / 1000)} s, ${failures.length} operations answered 5xx`)
    expect(failures, `seed ${SEED}`).toEqual([])
    // Still standing.
    expect((await fetch(`${shop.url}/api/ready`)).status).toBe(200)
    expect((await fetch(`${demo.url}/api/ready`)).status).toBe(200)
  }, 600_000)
})
