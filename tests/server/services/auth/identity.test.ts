import { eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { adminLoginTokens, auditEntries, rateLimits, userRoles, users } from '../../../../server/db/schema'
import { findAdminSession, issueAdminLoginLink, redeemAdminLoginToken } from '../../../../server/services/auth/admin-login'
import { RateLimitCounter, hitRateLimits, pruneRateLimits, slidingRetryAfter } from '../../../../server/services/auth/rate-limit'
import { grantRole, revokeRole } from '../../../../server/services/auth/roles'
import { LAST_SEEN_REFRESH_MS, listUsers, syncTelegramUser } from '../../../../server/services/auth/users'
import { resolveLocale } from '../../../../shared/locale'
import { loadConfig } from '../../../../server/utils/config'
import { DomainError } from '../../../../server/utils/errors'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const profile = (id: number, extra: Record<string, unknown> = {}) => ({ id, firstName: `User ${id}`, languageCode: 'en', isPremium: false, allowsWriteToPm: true, ...extra })
const actorOf = (id: number, roles: ('owner' | 'admin' | 'manager' | 'operator' | 'staff')[]) => services.staff(id, roles)
const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'ok', (error) => (error instanceof DomainError ? error.code : `unexpected: ${error}`))
const auditCount = async (action: string) => (await handle.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries).where(eq(auditEntries.action, action)))[0]!.n

describe(`users (${engine})`, () => {
  it('picks the locale: the user choice, else ru for ru/uk/be/kk, else en', () => {
    expect(resolveLocale('en', 'ru')).toBe('en')
    expect(resolveLocale(null, 'ru-RU')).toBe('ru')
    for (const code of ['uk', 'be', 'kk']) expect(resolveLocale(null, code)).toBe('ru')
    expect(resolveLocale(null, 'de')).toBe('en')
    expect(resolveLocale(null, null)).toBe('en')
    expect(resolveLocale(null, 'rus')).toBe('en')
  })

  it('writes the row only when a field changed or last_seen_at is stale', async () => {
    await syncTelegramUser(handle.db, profile(100))
    const read = async () => (await handle.db.select().from(users).where(eq(users.telegramId, 100)))[0]!
    const first = await read()
    await syncTelegramUser(handle.db, profile(100))
    expect((await read()).updatedAt).toEqual(first.updatedAt)

    await syncTelegramUser(handle.db, profile(100, { username: 'renamed' }))
    const renamed = await read()
    expect(renamed.username).toBe('renamed')
    expect(renamed.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime())

    await handle.db.update(users).set({ lastSeenAt: new Date(Date.now() - LAST_SEEN_REFRESH_MS - 1000) }).where(eq(users.telegramId, 100))
    await syncTelegramUser(handle.db, profile(100, { username: 'renamed' }))
    expect(Date.now() - (await read()).lastSeenAt.getTime()).toBeLessThan(60_000)
  })

  it('makes ADMIN_TELEGRAM_IDS users owners, audited as a system action', async () => {
    const { roles } = await syncTelegramUser(handle.db, profile(101), { ownerIds: [101] })
    expect(roles).toEqual(['owner'])
    const [row] = await handle.db.select().from(auditEntries).where(eq(auditEntries.entityId, '101'))
    expect(row).toMatchObject({ action: 'role.grant', actorVia: 'system', after: { roles: ['owner'], reason: 'ADMIN_TELEGRAM_IDS' } })
  })

  it('a bot update does not blank what initData said about photo and premium', async () => {
    await syncTelegramUser(handle.db, profile(102, { photoUrl: 'https://t.me/i/p.jpg', isPremium: true }))
    const { user } = await syncTelegramUser(handle.db, { id: 102, firstName: 'Renamed' }, { source: 'bot' })
    expect(user).toMatchObject({ firstName: 'Renamed', photoUrl: 'https://t.me/i/p.jpg', isPremium: true })
  })
})

describe(`roles (${engine})`, () => {
  beforeAll(async () => {
    for (const id of [200, 201, 202, 203]) await syncTelegramUser(handle.db, profile(id))
    // Start from exactly one owner (the bootstrap test above made 101 one).
    await handle.db.delete(userRoles).where(eq(userRoles.role, 'owner'))
    await handle.db.insert(userRoles).values({ telegramId: 200, role: 'owner' })
  })

  it('owners and admins grant and remove roles, audited in the same transaction', async () => {
    const before = await auditCount('role.grant')
    expect(await grantRole(actorOf(200, ['owner']), 201, 'admin')).toEqual(['admin'])
    expect(await grantRole(actorOf(201, ['admin']), 202, 'operator')).toEqual(['operator'])
    // Granting a held role changes nothing and writes nothing.
    expect(await grantRole(actorOf(201, ['admin']), 202, 'operator')).toEqual(['operator'])
    expect(await auditCount('role.grant')).toBe(before + 2)
    expect(await revokeRole(actorOf(201, ['admin']), 202, 'operator')).toEqual([])
    const [row] = await handle.db.select().from(auditEntries).where(eq(auditEntries.action, 'role.revoke'))
    expect(row).toMatchObject({ actorId: 201, entityId: '202', before: { roles: ['operator'] }, after: { roles: [] } })
  })

  it('only an owner grants or removes owner; others cannot manage roles at all', async () => {
    expect(await codeOf(grantRole(actorOf(201, ['admin']), 203, 'owner'))).toBe('forbidden')
    expect(await codeOf(grantRole(actorOf(203, ['manager']), 203, 'staff'))).toBe('forbidden')
    expect(await codeOf(revokeRole(actorOf(201, ['admin']), 200, 'owner'))).toBe('forbidden')
    expect(await codeOf(grantRole(actorOf(200, ['owner']), 999_999, 'staff'))).toBe('not_found')
  })

  it('never removes the last owner, even when two owners remove each other at once', async () => {
    expect(await codeOf(revokeRole(actorOf(200, ['owner']), 200, 'owner'))).toBe('last_owner')
    await grantRole(actorOf(200, ['owner']), 203, 'owner')
    const results = await Promise.all([
      codeOf(revokeRole(actorOf(200, ['owner']), 203, 'owner')),
      codeOf(revokeRole(actorOf(203, ['owner']), 200, 'owner')),
    ])
    expect(results.sort()).toEqual(['last_owner', 'ok'])
    const owners = await handle.db.select().from(userRoles).where(eq(userRoles.role, 'owner'))
    expect(owners).toHaveLength(1)
  })

  it('refuses to remove an owner pinned by ADMIN_TELEGRAM_IDS', async () => {
    const owner = (await handle.db.select().from(userRoles).where(eq(userRoles.role, 'owner')))[0]!.telegramId
    await grantRole(actorOf(owner, ['owner']), 202, 'owner')
    expect(await codeOf(revokeRole({ ...actorOf(202, ['owner']), config: loadConfig({ ADMIN_TELEGRAM_IDS: String(owner) }) }, owner, 'owner'))).toBe('role_pinned')
  })

  it('reads each user\'s own roles only', async () => {
    expect((await syncTelegramUser(handle.db, profile(204))).roles).toEqual([])
    expect((await syncTelegramUser(handle.db, profile(201))).roles).toEqual(['admin'])
  })

  it('lists users by search and role', async () => {
    const admins = await listUsers(handle.db, { role: 'admin', limit: 50 })
    expect(admins.map((u) => u.user.id)).toEqual([201])
    expect((await listUsers(handle.db, { search: 'User 20', limit: 50 })).length).toBeGreaterThanOrEqual(4)
    expect((await listUsers(handle.db, { search: '203', limit: 50 })).map((u) => u.user.id)).toContain(203)
    expect(await listUsers(handle.db, { search: '%', limit: 50 })).toEqual([])
  })
})

describe(`admin sign-in links (${engine})`, () => {
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!
  const context = { requestId: 'r', ip: '127.0.0.1' }
  beforeAll(async () => {
    await syncTelegramUser(handle.db, profile(300))
    await syncTelegramUser(handle.db, profile(301))
    await handle.db.insert(userRoles).values({ telegramId: 300, role: 'operator' })
  })

  it('work once: the second redemption (and a concurrent twin) is refused and audited', async () => {
    const { url } = await issueAdminLoginLink(handle.db, 300, 'https://shop.example.com', { actorVia: 'bot' })
    expect(url).toMatch(/^https:\/\/shop\.example\.com\/admin\/login\?token=[A-Za-z0-9_-]{43}$/)
    const token = tokenOf(url)
    const stored = await handle.db.select().from(adminLoginTokens)
    expect(JSON.stringify(stored)).not.toContain(token)

    const results = await Promise.all([codeOf(redeemAdminLoginToken(handle.db, token, context)), codeOf(redeemAdminLoginToken(handle.db, token, context))])
    expect(results.sort()).toEqual(['login_link_used', 'ok'])
    expect(await codeOf(redeemAdminLoginToken(handle.db, token, context))).toBe('login_link_used')
    expect(await auditCount('auth.sign_in')).toBe(1)
    expect(await auditCount('auth.sign_in_failed')).toBe(2)
  })

  it('expire after 5 minutes, and unknown tokens are refused', async () => {
    const { url, expiresAt } = await issueAdminLoginLink(handle.db, 300, 'https://shop.example.com', { actorVia: 'bot' })
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(4.9 * 60_000)
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000)
    await handle.db.execute(sql`update admin_login_tokens set expires_at = now() - interval '1 second' where used_at is null`)
    expect(await codeOf(redeemAdminLoginToken(handle.db, tokenOf(url), context))).toBe('login_link_expired')
    expect(await codeOf(redeemAdminLoginToken(handle.db, 'x'.repeat(43), context))).toBe('login_link_invalid')
  })

  it('open a session only for staff, and the session follows the roles', async () => {
    const { url: forStranger } = await issueAdminLoginLink(handle.db, 301, 'https://shop.example.com', { actorVia: 'bot' })
    expect(await codeOf(redeemAdminLoginToken(handle.db, tokenOf(forStranger), context))).toBe('forbidden')

    const { url } = await issueAdminLoginLink(handle.db, 300, 'https://shop.example.com', { actorVia: 'bot' })
    const signIn = await redeemAdminLoginToken(handle.db, tokenOf(url), context)
    expect(signIn.roles).toEqual(['operator'])
    expect(await findAdminSession(handle.db, signIn.sessionId)).toMatchObject({ roles: ['operator'], user: { id: 300 } })
    await handle.db.insert(userRoles).values({ telegramId: 300, role: 'staff' })
    await handle.db.insert(users).values({ telegramId: 399, firstName: 'Owner' })
    await handle.db.insert(userRoles).values({ telegramId: 399, role: 'owner' })
    await revokeRole(actorOf(399, ['owner']), 300, 'operator')
    expect(await findAdminSession(handle.db, signIn.sessionId)).toMatchObject({ roles: ['staff'] })
    await revokeRole(actorOf(399, ['owner']), 300, 'staff')
    // No role left: the session row itself is revoked.
    expect(await findAdminSession(handle.db, signIn.sessionId)).toBeUndefined()
  })
})

describe(`rate limits (${engine})`, () => {
  it('count per key in a sliding window shared through the database, with Retry-After', async () => {
    const rule = { key: 'test:ip:1', limit: 3, windowSeconds: 60 }
    const minute = Math.floor(Date.now() / 60_000) * 60_000
    const now = new Date(minute + 15_000)
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => hitRateLimits(handle.db, [rule], now)))
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3)
    // The fifth hit's answer: this window has 5 (refused ones count), so the next hit waits for the
    // next window (45 s) and for enough of this one to slide out of it: 5 * (1 - t / 60) + 1 <= 3 at t = 36 s.
    expect(Math.max(...verdicts.map((v) => v.retryAfterSeconds))).toBe(81)
    // Another key is unaffected.
    expect((await hitRateLimits(handle.db, [{ ...rule, key: 'test:ip:2' }], now)).allowed).toBe(true)
    // Early in the next window the previous one still weighs: 5 * 0.75 + 1 > 3.
    expect((await hitRateLimits(handle.db, [rule], new Date(minute + 75_000))).allowed).toBe(false)
    // Late in it, it has slid out enough: 5 * (1 - 50 / 60) + 2 <= 3.
    expect((await hitRateLimits(handle.db, [rule], new Date(minute + 110_000))).allowed).toBe(true)
  })

  it('do not let a client spend its limit twice across a window boundary', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 120_000
    const rule = { key: 'test:user:boundary', limit: 10, windowSeconds: 60 }
    const counter = new RateLimitCounter(handle.db, createLogger({ level: 'silent' }), 60_000)
    // Both ways of counting: the upsert per hit, and the app's in-memory counter.
    const ways = [(at: Date) => hitRateLimits(handle.db, [{ ...rule, key: `${rule.key}:table` }], at), async (at: Date) => counter.hit([rule], at)]
    for (const hit of ways) {
      // All ten in the last second of one window: allowed.
      const late = await Promise.all(Array.from({ length: 10 }, () => hit(new Date(minute + 59_500))))
      expect(late.every((v) => v.allowed)).toBe(true)
      // Ten more in the first seconds of the next: fixed windows would allow them all. Here the first
      // is already over (10 * 0.975 + 1 > 10) and waits until the previous window weighs <= 8 (at 12 s).
      const early = []
      for (let i = 0; i < 10; i++) early.push(await hit(new Date(minute + 61_500)))
      expect(early.filter((v) => v.allowed)).toHaveLength(0)
      expect(early[0]!.retryAfterSeconds).toBe(11)
    }
    await counter.flush()
  })

  it('keep a window through the next one, where it is the previous, and prune it after', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000
    const at = (ms: number) => new Date(minute + 30_000 + ms)
    const minuteRule = { key: 'test:prune:minute', limit: 5, windowSeconds: 60 }
    const tenMinutes = { key: 'test:prune:ten', limit: 5, windowSeconds: 600 }
    await hitRateLimits(handle.db, [minuteRule], at(-240_000)) // ended 3 minutes ago, its next 2 minutes ago
    await hitRateLimits(handle.db, [minuteRule], at(-60_000)) // the previous window: still weighs
    await hitRateLimits(handle.db, [minuteRule], at(0))
    const tenStart = Math.floor(at(0).getTime() / 600_000) * 600_000
    await hitRateLimits(handle.db, [tenMinutes], new Date(tenStart - 1_000)) // the previous ten minutes
    await pruneRateLimits(handle.db)
    const left = await handle.db.select({ key: rateLimits.key, windowStart: rateLimits.windowStart }).from(rateLimits).where(inArray(rateLimits.key, [minuteRule.key, tenMinutes.key]))
    expect(left.map((r) => `${r.key}@${r.windowStart.getTime() - minute}`).sort()).toEqual([`${minuteRule.key}@-60000`, `${minuteRule.key}@0`, `${tenMinutes.key}@${tenStart - 600_000 - minute}`].sort())
  })

  it('compute the wait until one more hit is allowed', () => {
    // Allowed: previous 4 at half weight plus 3 here is 5 <= 5.
    expect(slidingRetryAfter(4, 3, 5, 60_000, 30_000)).toBe(0)
    // Over by the previous window only: once it weighs <= 1 (limit 5, 3 here + the next hit): 6 * (1 - t / 60) <= 1 at 50 s, 20 s from now.
    expect(slidingRetryAfter(6, 3, 5, 60_000, 30_000)).toBe(20)
    // Over in this window alone: until the next one, and then until this one weighs <= 4: 6 * (1 - t / 60) <= 4 at t = 20 s.
    expect(slidingRetryAfter(0, 6, 5, 60_000, 50_000)).toBe(30)
    // Never less than a second.
    expect(slidingRetryAfter(180, 4, 5, 60_000, 59_500)).toBe(1)
  })

  it('count in memory and share the totals through the table (two replicas, each with its counter)', async () => {
    const silent = createLogger({ level: 'silent' })
    const [a, b] = [new RateLimitCounter(handle.db, silent, 60_000), new RateLimitCounter(handle.db, silent, 60_000)]
    const rule = { key: 'test:user:7', limit: 5, windowSeconds: 60 }
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10_000)
    // Exact on one replica, with no round trip per hit.
    expect([1, 2, 3].map(() => a.hit([rule], now).allowed)).toEqual([true, true, true])
    await a.flush()
    // The other replica learns the 3 hits with its own next write.
    expect(b.hit([rule], now).allowed).toBe(true)
    await b.flush()
    expect(b.hit([rule], now).allowed).toBe(true)
    const refused = b.hit([rule], now)
    // 6 hits in the window: the next waits for the next window (50 s) and until this one weighs <= 4 there (20 s).
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 70 })
    await b.flush()
    // The table holds every hit, refused ones included.
    const [row] = await handle.db.select().from(rateLimits).where(eq(rateLimits.key, rule.key))
    expect(row?.hits).toBe(6)
  })

  it('write hundreds of keys of any characters in one flush and read every total back', async () => {
    const silent = createLogger({ level: 'silent' })
    const [a, b] = [new RateLimitCounter(handle.db, silent, 60_000), new RateLimitCounter(handle.db, silent, 60_000)]
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 20_000)
    const odd = ['test:ip:::1', 'test:ip:"quoted", comma', "test:user:o'neil\\back", 'test:user:имя 🙂', 'test:user:{"json":[1]}']
    const rules = [...odd, ...Array.from({ length: 600 }, (_, i) => `test:bulk:${i}`)].map((key) => ({ key, limit: 2, windowSeconds: 60 }))
    for (const rule of rules) a.hit([rule], now)
    await a.flush()
    // Replica b learns a's hit on every key with its own first write: its second hit is the limit's third.
    for (const rule of rules) expect(b.hit([rule], now).allowed).toBe(true)
    await b.flush()
    const verdicts = rules.map((rule) => b.hit([rule], now))
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(0)
    await b.flush()
    const rows = await handle.db.select({ key: rateLimits.key, hits: rateLimits.hits }).from(rateLimits).where(inArray(rateLimits.key, odd))
    expect(Object.fromEntries(rows.map((r) => [r.key, r.hits]))).toEqual(Object.fromEntries(odd.map((key) => [key, 3])))
  })

  it('still counts the hits that are being written while the write is in flight', async () => {
    const counter = new RateLimitCounter(handle.db, createLogger({ level: 'silent' }), 60_000)
    const rule = { key: 'test:ip:inflight', limit: 3, windowSeconds: 60 }
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 10_000)
    expect([1, 2, 3].map(() => counter.hit([rule], now).allowed)).toEqual([true, true, true])
    const writing = counter.flush()
    // Two turns of the microtask queue: the batch has left `pending` and the upsert is on its way, unanswered.
    await Promise.resolve()
    await Promise.resolve()
    expect(counter.hit([rule], now).allowed).toBe(false)
    await writing
    expect(counter.hit([rule], now).allowed).toBe(false)
    await counter.flush()
    const [row] = await handle.db.select().from(rateLimits).where(eq(rateLimits.key, rule.key))
    expect(row?.hits).toBe(5)
  })
})
