import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import { eventually } from '../helpers/eventually'
import { cookieFrom, initDataFor, tmaHeaders, type InitUser } from '../helpers/telegram-users'
import { startEarlyInMinute } from '../helpers/rate-window'

/**
 * Identity end to end on the built app against a fake Bot API: initData on /api/me, the bot's
 * one-time /admin links, the cookie session with CSRF, roles taking effect at once, the audit log,
 * rate limits and security headers.
 */
const SECRET = 'identity-webhook-secret-0123456789'
const ORIGIN = 'https://shop.example.com'
const OWNER: InitUser = { id: 770_000_001, first_name: 'Алексей', last_name: 'Зернов', username: 'owner_demo', language_code: 'en', is_premium: true, allows_write_to_pm: true }
const CUSTOMER: InitUser = { id: 770_000_002, first_name: 'Оксана', language_code: 'uk' }
const OPERATOR: InitUser = { id: 770_000_003, first_name: 'Oleg', username: 'oleg', language_code: 'ru' }

let fake: FakeBotApi
let app: RunningApp
let ip = 0
/** Every test speaks from its own client IP (TRUST_PROXY=1), so per-IP limits never leak between tests. */
const fromIp = () => ({ 'x-forwarded-for': `198.51.100.${++ip}` })
const api = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
const deliver = (update: unknown) =>
  fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })

/** Sends /admin to the bot as `user` and returns what the bot answered. */
async function askBotForAdminLink(user: InitUser) {
  const toUser = () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)
  const before = toUser().length
  expect((await deliver(fake.updates.command({ ...user, is_bot: false }, '/admin'))).status).toBe(200)
  const sent = await eventually(() => toUser()[before], 15_000)
  const text = String(sent.params.text)
  return { text, token: /token=([A-Za-z0-9_-]+)/.exec(text)?.[1], markup: sent.params.reply_markup }
}

async function signInWithLink(user: InitUser) {
  const { token } = await askBotForAdminLink(user)
  const res = await api('/api/auth/admin-link', { method: 'POST', body: { token }, headers: fromIp() })
  expect(res.status, await res.clone().text()).toBe(200)
  const cookie = cookieFrom(res, 'tma_admin')!
  const body = await res.json()
  return { cookie, csrf: body.csrfToken as string, token: token!, response: res }
}

beforeAll(async () => {
  ;({ fake, app } = await startWebhookApp({ secret: SECRET, env: { PUBLIC_URL: ORIGIN, SESSION_SECRET: 'identity-session-secret-'.padEnd(48, 'x'), ADMIN_TELEGRAM_IDS: String(OWNER.id), TRUST_PROXY: '1' } }))
})

afterAll(() => stopWebhookApp({ app, fake }))

describe('GET /api/me', () => {
  it('returns the validated user, their roles and the start param (exact contract)', async () => {
    const res = await api('/api/me', { headers: tmaHeaders(OWNER, fake.token, { extra: { start_param: 'product_42' } }) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      user: { id: OWNER.id, firstName: 'Алексей', lastName: 'Зернов', username: 'owner_demo', languageCode: 'en', locale: 'en', photoUrl: null, isPremium: true, allowsWriteToPm: true },
      roles: ['owner'],
      startParam: 'product_42',
    })
    const customer = await (await api('/api/me', { headers: tmaHeaders(CUSTOMER, fake.token) })).json()
    expect(customer).toEqual({
      user: { id: CUSTOMER.id, firstName: 'Оксана', lastName: null, username: null, languageCode: 'uk', locale: 'ru', photoUrl: null, isPremium: false, allowsWriteToPm: false },
      roles: [],
      startParam: null,
    })
  })

  it('PATCH stores the chosen locale and answers like GET', async () => {
    const headers = tmaHeaders(CUSTOMER, fake.token)
    const res = await api('/api/me', { method: 'PATCH', headers, body: { locale: 'en' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ user: { id: CUSTOMER.id, locale: 'en', languageCode: 'uk' }, roles: [], startParam: null })
    expect((await (await api('/api/me', { headers })).json()).user.locale).toBe('en')
    const bad = await api('/api/me', { method: 'PATCH', headers, body: { locale: 'de' } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).code).toBe('validation_failed')
  })

  it('refuses bad init data with the right 401 code, never a 5xx', async () => {
    const valid = initDataFor(CUSTOMER, fake.token)
    const cases: [string, Record<string, string>, string][] = [
      ['no header', {}, 'auth_missing'],
      ['empty tma', { authorization: 'tma ' }, 'auth_missing'],
      ['other scheme', { authorization: `Bearer ${valid}` }, 'auth_malformed'],
      ['expired', tmaHeaders(CUSTOMER, fake.token, { authDate: new Date(Date.now() - 2 * 3600_000) }), 'auth_expired'],
      ['tampered', { authorization: `tma ${valid.replace(encodeURIComponent('Оксана'), encodeURIComponent('Admin'))}` }, 'auth_invalid_signature'],
      ['another bot', tmaHeaders(CUSTOMER, '987654321:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 'auth_invalid_signature'],
      ['oversized', { authorization: `tma ${valid}&pad=${'x'.repeat(9000)}` }, 'auth_malformed'],
      ['duplicated parameter', { authorization: `tma ${valid}&auth_date=${Math.floor(Date.now() / 1000)}` }, 'auth_malformed'],
      ['no hash', { authorization: `tma ${valid.replace(/&hash=[0-9a-f]+/, '')}` }, 'auth_malformed'],
      ['bad percent-encoding', { authorization: `tma ${valid}&x=%E0%A4%A` }, 'auth_malformed'],
      ['garbage', { authorization: 'tma ===&&&=' }, 'auth_malformed'],
      ['no user', { authorization: `tma ${initDataFor(CUSTOMER, fake.token).replace(/^user=[^&]+&/, '')}` }, 'auth_invalid_signature'],
    ]
    for (const [name, headers, code] of cases) {
      const res = await api('/api/me', { headers })
      expect(res.status, name).toBe(401)
      expect((await res.json()).code, name).toBe(code)
    }
    // Beyond Node's header limit the server itself answers 431, still not a 5xx.
    const huge = await api('/api/me', { headers: { authorization: `tma ${'a'.repeat(20_000)}` } })
    expect(huge.status).toBeGreaterThanOrEqual(400)
    expect(huge.status).toBeLessThan(500)
  })
})

describe('/admin sign-in from a desktop', () => {
  it('the bot refuses /admin politely to someone without a staff role', async () => {
    const { text, token } = await askBotForAdminLink({ id: 770_000_099, first_name: 'Stranger', language_code: 'en' })
    expect(text).toContain('for staff only')
    expect(token).toBeUndefined()
  })

  it('a one-time link signs a staff member in with a sealed httpOnly cookie; the replay is refused', async () => {
    const { text, markup } = await askBotForAdminLink(OWNER)
    expect(text).toMatch(/single use, valid 5 min/)
    expect(JSON.stringify(markup)).toContain(`${ORIGIN}/admin/login?token=`)
    const { cookie, csrf, token, response } = await signInWithLink(OWNER)
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('tma_admin='))!
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    expect(setCookie).toMatch(/Secure/i)
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{20,}$/)

    const session = await api('/api/auth/session', { headers: { cookie } })
    expect(session.status).toBe(200)
    expect(await session.json()).toMatchObject({ user: { id: OWNER.id }, roles: ['owner'], via: 'session', csrfToken: csrf, permissions: expect.arrayContaining(['audit.read', 'roles.manage']) })

    const replay = await api('/api/auth/admin-link', { method: 'POST', body: { token }, headers: fromIp() })
    expect(replay.status).toBe(401)
    expect((await replay.json()).code).toBe('login_link_used')
    const unknown = await api('/api/auth/admin-link', { method: 'POST', body: { token: 'A'.repeat(43) }, headers: fromIp() })
    expect((await unknown.json()).code).toBe('login_link_invalid')
    const forged = await api('/api/auth/session', { headers: { cookie: `tma_admin=${'x'.repeat(80)}` } })
    expect(forged.status).toBe(401)
  })

  it('refuses cookie-authenticated writes without the CSRF token or from another origin', async () => {
    const { cookie, csrf } = await signInWithLink(OWNER)
    await api('/api/me', { headers: tmaHeaders(OPERATOR, fake.token) })
    const grant = (headers: Record<string, string>) => api(`/api/admin/users/${OPERATOR.id}/roles`, { method: 'POST', body: { role: 'staff' }, headers: { cookie, ...headers } })

    const noToken = await grant({ origin: ORIGIN })
    expect(noToken.status).toBe(403)
    expect((await noToken.json()).code).toBe('csrf_failed')
    const wrongToken = await grant({ origin: ORIGIN, 'x-csrf-token': csrf.slice(1) + 'A' })
    expect((await wrongToken.json()).code).toBe('csrf_failed')
    const foreign = await grant({ origin: 'https://evil.example', 'x-csrf-token': csrf })
    expect(foreign.status).toBe(403)
    expect((await foreign.json()).code).toBe('csrf_failed')
    // Reads need no token; the write with token and our origin goes through.
    expect((await api(`/api/admin/users?search=${OPERATOR.id}`, { headers: { cookie } })).status).toBe(200)
    const ok = await grant({ origin: ORIGIN, 'x-csrf-token': csrf })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ id: OPERATOR.id, roles: ['staff'] })
  })

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const { cookie, csrf } = await signInWithLink(OWNER)
    const refused = await api('/api/auth/logout', { method: 'POST', headers: { cookie } })
    expect((await refused.json()).code).toBe('csrf_failed')
    const out = await api('/api/auth/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } })
    expect(out.status).toBe(204)
    expect(out.headers.getSetCookie().join(';')).toMatch(/tma_admin=;/)
    const after = await api('/api/auth/session', { headers: { cookie } })
    expect(after.status).toBe(401)
    expect((await after.json()).code).toBe('auth_expired')
  })
})

describe('roles', () => {
  const owner = () => tmaHeaders(OWNER, fake.token)

  it('a removed role loses access on the very next request (initData and cookie session)', async () => {
    await api('/api/me', { headers: tmaHeaders(OPERATOR, fake.token) })
    for (const role of ['admin', 'operator', 'staff']) {
      expect((await api(`/api/admin/users/${OPERATOR.id}/roles`, { method: 'POST', body: { role }, headers: owner() })).status).toBe(200)
    }
    const operatorTma = () => api('/api/admin/audit', { headers: tmaHeaders(OPERATOR, fake.token) })
    expect((await operatorTma()).status).toBe(200)
    const { cookie } = await signInWithLink(OPERATOR)
    expect((await api('/api/admin/audit', { headers: { cookie } })).status).toBe(200)

    expect((await api(`/api/admin/users/${OPERATOR.id}/roles/admin`, { method: 'DELETE', headers: owner() })).status).toBe(200)
    expect((await operatorTma()).status).toBe(403)
    expect((await api('/api/admin/audit', { headers: { cookie } })).status).toBe(403)
    expect((await api('/api/auth/session', { headers: { cookie } })).status).toBe(200)

    for (const role of ['operator', 'staff']) expect((await api(`/api/admin/users/${OPERATOR.id}/roles/${role}`, { method: 'DELETE', headers: owner() })).status).toBe(200)
    expect((await api('/api/auth/session', { headers: { cookie } })).status).toBe(401)
    expect((await (await api('/api/me', { headers: tmaHeaders(OPERATOR, fake.token) })).json()).roles).toEqual([])
  })

  it('the last owner stays, and only owners touch the owner role', async () => {
    const removeSelf = await api(`/api/admin/users/${OWNER.id}/roles/owner`, { method: 'DELETE', headers: owner() })
    expect(removeSelf.status).toBe(409)
    expect((await removeSelf.json()).code).toMatch(/^(last_owner|role_pinned)$/)
    await api(`/api/admin/users/${OPERATOR.id}/roles`, { method: 'POST', body: { role: 'admin' }, headers: owner() })
    const adminGrantsOwner = await api(`/api/admin/users/${CUSTOMER.id}/roles`, { method: 'POST', body: { role: 'owner' }, headers: tmaHeaders(OPERATOR, fake.token) })
    expect(adminGrantsOwner.status).toBe(403)
  })
})

describe('audit log API', () => {
  it('lists role changes and sign-ins with actor, request id and IP, and exports CSV', async () => {
    const page = await (await api('/api/admin/audit?action=role.revoke&limit=2', { headers: tmaHeaders(OWNER, fake.token) })).json()
    expect(page.items).toHaveLength(2)
    expect(page.items[0]).toMatchObject({ actorId: OWNER.id, actorVia: 'tma', action: 'role.revoke', entityType: 'user', entityId: String(OPERATOR.id), requestId: expect.any(String) })
    expect(page.nextCursor).toMatch(/^\d+$/)
    const next = await (await api(`/api/admin/audit?action=role.revoke&limit=2&cursor=${page.nextCursor}`, { headers: tmaHeaders(OWNER, fake.token) })).json()
    expect(next.items[0].id).toBeLessThan(page.items[1].id)

    const signIns = await (await api(`/api/admin/audit?action=auth.sign_in&actor=${OWNER.id}`, { headers: tmaHeaders(OWNER, fake.token) })).json()
    expect(signIns.items[0]).toMatchObject({ actorVia: 'session', ip: expect.stringMatching(/^198\.51\.100\./) })
    const failed = await (await api('/api/admin/audit?action=auth.sign_in_failed', { headers: tmaHeaders(OWNER, fake.token) })).json()
    expect(failed.items.map((i: { after: { reason: string } }) => i.after.reason)).toEqual(expect.arrayContaining(['login_link_used', 'login_link_invalid']))

    const csv = await api('/api/admin/audit/export.csv?entityType=user', { headers: tmaHeaders(OWNER, fake.token) })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-/)
    expect((await csv.text()).split('\r\n')[0]).toBe('id,createdAt,actorId,actorVia,action,entityType,entityId,before,after,requestId,ip')
    const invalid = await api('/api/admin/audit?from=not-a-date', { headers: tmaHeaders(OWNER, fake.token) })
    expect(invalid.status).toBe(400)
  })
})

describe('hardening', () => {
  it('rate-limits sign-in attempts per IP with 429, rate_limited and Retry-After', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.9' }
    await startEarlyInMinute()
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < 11; i++) {
      last = await api('/api/auth/admin-link', { method: 'POST', body: { token: 'B'.repeat(43) }, headers })
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses[10]).toBe(429)
    expect((await last!.json()).code).toBe('rate_limited')
    // 11 attempts counted against 10 a minute: one more passes once the next minute has begun and
    // this one weighs 9 or less there (60 * (1 - 9 / 11) = 10.9 s into it): 11 to 71 s from now.
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(11)
    expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(71)
    // Another client is not affected.
    expect((await api('/api/auth/admin-link', { method: 'POST', body: { token: 'B'.repeat(43) }, headers: fromIp() })).status).toBe(401)
  })

  it('rate-limits writes per user', async () => {
    const headers = tmaHeaders(CUSTOMER, fake.token)
    let status = 0
    for (let i = 0; i < 61 && status !== 429; i++) status = (await api('/api/me', { method: 'PATCH', headers: { ...headers, ...fromIp() }, body: { locale: 'ru' } })).status
    expect(status).toBe(429)
    // Reads go on.
    expect((await api('/api/me', { headers })).status).toBe(200)
  })

  it('sends security headers on API and pages', async () => {
    for (const path of ['/api/health', '/', '/app']) {
      const res = await fetch(`${app.url}${path}`)
      // The whole policy is tested in Chromium (tests/e2e/csp.test.ts); here: framing by Telegram only, scripts from us only.
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("frame-ancestors 'self' https://web.telegram.org https://*.web.telegram.org")
      expect(csp, path).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*;/)
      expect(csp, path).not.toContain('unsafe-eval')
      expect(csp, path).toContain("object-src 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d+/)
      expect(res.headers.get('x-frame-options'), path).toBeNull()
    }
  })
})
