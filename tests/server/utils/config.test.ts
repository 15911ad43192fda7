import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, secretValues } from '../../../server/utils/config'
import { createLogger } from '../../../server/utils/logger'

const TOKEN = '7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1'

function problemsOf(env: Record<string, string>) {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('expected the config to be refused')
}

describe('loadConfig', () => {
  it('starts with no configuration at all: PGlite in ./.data, sandbox Telegram, polling', () => {
    const config = loadConfig({})
    expect(config.database).toBe('pglite')
    expect(config.dataDir).toMatch(/\.data$/)
    expect(config.telegram.sandbox).toBe(true)
    expect(config.telegram.apiRoot).toBe('https://api.telegram.org')
    expect(config.publicUrl).toBe('http://localhost:3000')
    expect(config.telegram.updates).toBe('polling')
    expect(config.port).toBe(3000)
    expect(config.telegram.initDataMaxAgeSeconds).toBe(3600)
  })

  it('chooses PostgreSQL, the real bot and webhooks from the environment', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/app', TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_URL: 'https://shop.example.com/', ADMIN_TELEGRAM_IDS: '111, 222' })
    expect(config.database).toBe('postgres')
    expect(config.telegram.sandbox).toBe(false)
    expect(config.telegram.updates).toBe('webhook')
    expect(config.publicUrl).toBe('https://shop.example.com')
    expect(config.adminTelegramIds).toEqual([111, 222])
  })

  it('lists every bad variable on its own line, naming the variable and never echoing a secret', () => {
    const problems = problemsOf({
      DATABASE_URL: 'mysql://root:hunter2@db/app',
      TELEGRAM_BOT_TOKEN: 'not-a-token-hunter2',
      PORT: '70000',
      TELEGRAM_UPDATES: 'carrier-pigeon',
      ADMIN_TELEGRAM_IDS: '123,abc',
      SESSION_SECRET: 'short',
      PUBLIC_URL: 'ftp://x',
    })
    expect(problems).toHaveLength(7)
    for (const name of ['DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'PORT', 'TELEGRAM_UPDATES', 'ADMIN_TELEGRAM_IDS', 'SESSION_SECRET', 'PUBLIC_URL']) {
      expect(problems.some((p) => p.startsWith(`${name}: `))).toBe(true)
    }
    expect(problems.join('\n')).not.toContain('hunter2')
    expect(problems.every((p) => !p.includes('\n'))).toBe(true)
  })

  it('requires https for webhooks and a session secret for a real bot in production', () => {
    const problems = problemsOf({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_UPDATES: 'webhook', PUBLIC_URL: 'http://shop.example.com', METRICS_TOKEN: 'm'.repeat(20) })
    expect(problems).toEqual([
      expect.stringMatching(/^SESSION_SECRET: is required in production/),
      expect.stringMatching(/^PUBLIC_URL: must be an https URL when TELEGRAM_UPDATES=webhook/),
    ])
  })

  it('refuses a production start without a bot token (it would hand out the sandbox owner) unless PUBLIC_DEMO says so', () => {
    expect(problemsOf({ NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(20) })).toEqual([
      'TELEGRAM_BOT_TOKEN: is required in production (without it the app would run the sandbox; set PUBLIC_DEMO=1 to run a public demo on purpose)',
    ])
    const demo = loadConfig({ NODE_ENV: 'production', PUBLIC_DEMO: '1', METRICS_TOKEN: 'm'.repeat(20) })
    expect(demo.telegram.sandbox).toBe(true)
    expect(demo.publicDemo).toBe(true)
    // Locally (npm run dev) the sandbox is the developer's own, with every power.
    expect(loadConfig({}).publicDemo).toBe(false)
    expect(problemsOf({ PUBLIC_DEMO: '1', TELEGRAM_BOT_TOKEN: TOKEN })).toEqual([expect.stringMatching(/^PUBLIC_DEMO: cannot be combined with TELEGRAM_BOT_TOKEN/)])
  })

  it('requires METRICS_TOKEN in production, reads it from METRICS_TOKEN_FILE too, and never logs it', () => {
    expect(problemsOf({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: TOKEN, SESSION_SECRET: 's'.repeat(40) })).toEqual([expect.stringMatching(/^METRICS_TOKEN: is required in production/)])
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    writeFileSync(join(dir, 'metrics'), 'prometheus-scrape-token-42\n')
    const config = loadConfig({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: TOKEN, SESSION_SECRET: 's'.repeat(40), METRICS_TOKEN_FILE: join(dir, 'metrics') })
    expect(config.metricsToken).toBe('prometheus-scrape-token-42')
    expect(secretValues(config)).toContain('prometheus-scrape-token-42')
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN: must be 16-256 printable characters/)])
  })

  it('reads TRUST_PROXY as a number of proxy hops (true/false as 1/0)', () => {
    expect(loadConfig({}).trustProxyHops).toBe(0)
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxyHops).toBe(2)
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxyHops).toBe(1)
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxyHops).toBe(0)
    expect(problemsOf({ TRUST_PROXY: 'all' })).toEqual([expect.stringMatching(/^TRUST_PROXY: must be the number of proxy hops/)])
    expect(problemsOf({ TRUST_PROXY: '99' })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)])
  })

  it('reads every secret from <NAME>_FILE, and refuses both forms at once or an unreadable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`)
    writeFileSync(join(dir, 'session'), 's'.repeat(48))
    writeFileSync(join(dir, 'db'), 'postgresql://app@db/app')
    const config = loadConfig({ TELEGRAM_BOT_TOKEN_FILE: join(dir, 'token'), SESSION_SECRET_FILE: join(dir, 'session'), DATABASE_URL_FILE: join(dir, 'db') })
    expect(config.telegram.botToken).toBe(TOKEN)
    expect(config.sessionSecret).toBe('s'.repeat(48))
    expect(config.databaseUrl).toBe('postgresql://app@db/app')

    const problems = problemsOf({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_BOT_TOKEN_FILE: join(dir, 'token'), PAYMENT_PROVIDER_TOKEN_FILE: join(dir, 'missing') })
    expect(problems).toEqual([
      'TELEGRAM_BOT_TOKEN: set either TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE, not both',
      'PAYMENT_PROVIDER_TOKEN_FILE: cannot read ' + join(dir, 'missing') + ' (ENOENT)',
    ])
  })
})

describe('logger', () => {
  it('writes one JSON object per line and blanks out secrets wherever they appear', () => {
    const lines: string[] = []
    const logger = createLogger({ secrets: ['s3cr3t-value'], write: (l) => lines.push(l) }).child({ requestId: 'r1' })
    logger.info('calling https://api.telegram.org/bot' + TOKEN + '/getMe with s3cr3t-value', { token: 'abc', password: 1234, path: '/bot' + TOKEN + '/sendMessage', nested: { authorization: 'tma x', ok: 1, flag: true, none: null }, error: new Error('boom s3cr3t-value') })
    logger.debug('hidden at info level')
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0]!)
    expect(entry).toMatchObject({ level: 'info', requestId: 'r1', token: '[redacted]', password: '[redacted]', path: '/bot[redacted]/sendMessage', nested: { authorization: '[redacted]', ok: 1, flag: true, none: null } })
    expect(lines[0]).not.toContain('s3cr3t-value')
    expect(lines[0]).not.toContain(TOKEN)
    expect(entry.error.message).toBe('boom [redacted]')
  })

  it("keeps an error's cause: why a query failed is the driver's error under Drizzle's \"Failed query\"", () => {
    const lines: string[] = []
    const logger = createLogger({ secrets: ['s3cr3t-value'], write: (l) => lines.push(l) })
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432 s3cr3t-value'), { code: 'ECONNREFUSED' })
    logger.warn('metrics failed', { error: new Error('Failed query: select 1', { cause: driver }) })
    const entry = JSON.parse(lines[0]!)
    expect(entry.error.message).toBe('Failed query: select 1')
    expect(entry.error.cause).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:5432 [redacted]', code: 'ECONNREFUSED' })
    expect(lines[0]).not.toContain('s3cr3t-value')
  })

  it('writes a prepared line (the access log of a kept answer) as it would write the same fields, secrets blanked', () => {
    const lines: string[] = []
    const root = createLogger({ secrets: ['s3cr3t-value'], write: (l) => lines.push(l) })
    const line = root.prepare('info', 'request', { method: 'GET', path: '/api/x/s3cr3t-value', route: '/api/x/:id', status: 200 })
    line({ requestId: 'r1', ms: 3, ua: 'agent with s3cr3t-value and bot' + TOKEN, none: undefined, token: 'abc' })
    root.info('request', { method: 'GET', path: '/api/x/s3cr3t-value', route: '/api/x/:id', status: 200, requestId: 'r1', ms: 3, ua: 'agent with s3cr3t-value and bot' + TOKEN, token: 'abc' })
    const [prepared, plain] = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(prepared).toEqual({ ...plain, time: prepared!.time })
    expect(prepared).toMatchObject({ level: 'info', msg: 'request', path: '/api/x/[redacted]', ua: 'agent with [redacted] and bot[redacted]', token: '[redacted]', status: 200, ms: 3 })
    expect(Object.keys(prepared!)[0]).toBe('time')
    expect(Number.isNaN(Date.parse(prepared!.time as string))).toBe(false)
    expect(lines.join('')).not.toContain('s3cr3t-value')
    // Below the level, nothing is written and nothing is prepared.
    createLogger({ level: 'warn', write: (l) => lines.push(l) }).prepare('info', 'request', { status: 200 })({ ms: 1 })
    expect(lines).toHaveLength(2)
  })
})
