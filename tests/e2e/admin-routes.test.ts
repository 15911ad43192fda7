import { readFileSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PERMISSIONS, ROLES, can, type Permission, type Role } from '../../shared/permissions'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * The role matrix over the real list of admin route files: every file under server/api/admin must
 * call `requireRole(event, <permission>)` or `staffContext(event, <permission>)`, and through the running app each role gets in exactly
 * when shared/permissions.ts says so. A route added without a guard fails here.
 */
const root = resolve(import.meta.dirname, '../..')
const adminDir = join(root, 'server/api/admin')
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const
const SAMPLE_PARAMS: Record<string, string> = { id: '777777001', role: 'staff' }

interface AdminRoute {
  file: string
  method: string
  path: string
  permission: Permission
}

function adminRoutes(): AdminRoute[] {
  const files = readdirSync(adminDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  return files.map((file) => {
    const source = readFileSync(join(adminDir, file), 'utf8')
    const name = file.replace(/\.ts$/, '')
    const method = METHODS.find((m) => name.endsWith(`.${m}`))
    const route = (method ? name.slice(0, -method.length - 1) : name)
      .split('/')
      .filter((segment) => segment !== 'index')
      .map((segment) => segment.replace(/^\[(\w+)\]$/, (_, param: string) => SAMPLE_PARAMS[param] ?? '1'))
      .join('/')
    const permission = /(?:requireRole|staffContext)\(event, '([\w.]+)'\)/.exec(source)?.[1] as Permission
    return { file: relative(root, join(adminDir, file)), method: (method ?? 'get').toUpperCase(), path: `/api/admin/${route}`.replace(/\/$/, ''), permission }
  })
}

const person = (id: number, name: string): InitUser => ({ id, first_name: name, language_code: 'en' })
/**
 * Two people per role, taking turns by route: each makes well under the 60 writes a minute one
 * person may (RATE_LIMITS.writesPerUser), and each route's requests come from their own address
 * (TRUST_PROXY=1 and X-Forwarded-For), so the per-address limit does not answer 429 either.
 */
const SETS = 2
const holderSets: Record<Role, InitUser>[] = Array.from({ length: SETS }, (_, k) => ({
  owner: person(880_000_001 + k * 100, 'Owner'),
  admin: person(880_000_011 + k * 100, 'Admin'),
  manager: person(880_000_012 + k * 100, 'Manager'),
  operator: person(880_000_013 + k * 100, 'Operator'),
  staff: person(880_000_014 + k * 100, 'Courier'),
}))
const OWNER = holderSets[0]!.owner
/** A customer of their own per route (no role: refused everywhere). */
const nobody = (index: number) => person(880_500_000 + index, 'Customer')
const addressOf = (index: number) => `10.9.${Math.floor(index / 250)}.${(index % 250) + 1}`

let fake: FakeBotApi
let app: RunningApp
const call = async (route: AdminRoute, headers: Record<string, string> = {}) => {
  const res = await fetch(`${app.url}${route.path}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(routes.indexOf(route)), ...headers },
    body: route.method === 'GET' ? undefined : JSON.stringify({ role: 'staff' }),
  })
  // A live stream (the support inbox's events) never ends: its status is the answer.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel()
    return new Response(`(event stream, ${res.status})`, { status: res.status })
  }
  return res
}

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
  app = await startApp({ env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, ADMIN_TELEGRAM_IDS: holderSets.map((h) => h.owner.id).join(','), SESSION_SECRET: 's'.repeat(40), TRUST_PROXY: '1' } })
  // Everyone opens the Mini App once; the owner (from ADMIN_TELEGRAM_IDS) hands out the roles.
  for (const holders of holderSets) {
    for (const user of Object.values(holders)) expect((await fetch(`${app.url}/api/me`, { headers: tmaHeaders(user, fake.token) })).status).toBe(200)
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const res = await fetch(`${app.url}/api/admin/users/${holders[role].id}/roles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...tmaHeaders(OWNER, fake.token) },
        body: JSON.stringify({ role }),
      })
      expect(res.status, await res.clone().text()).toBe(200)
    }
  }
})

afterAll(async () => {
  await app?.stop()
  await fake?.close()
})

const routes = adminRoutes()

describe('admin routes', () => {
  it('are found on disk, and each one names a known permission in requireRole', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /api/admin/users', 'POST /api/admin/users/777777001/roles', 'DELETE /api/admin/users/777777001/roles/staff', 'GET /api/admin/audit', 'GET /api/admin/audit/export.csv']),
    )
    for (const route of routes) expect(Object.keys(PERMISSIONS), `${route.file} must call requireRole(event, '<permission>')`).toContain(route.permission)
  })

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: refuses strangers, then lets in exactly the roles the matrix allows', async (_name, route) => {
    const anonymous = await call(route)
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).code).toBe('auth_missing')
    const index = routes.indexOf(route)
    const holders = holderSets[index % SETS]!
    const customer = await call(route, tmaHeaders(nobody(index), fake.token))
    expect(customer.status).toBe(403)
    expect((await customer.json()).code).toBe('forbidden')
    for (const role of ROLES) {
      const res = await call(route, tmaHeaders(holders[role], fake.token))
      const body = await res.text()
      if (can([role], route.permission)) expect([401, 403, 429], `${role} should reach ${route.file}: ${body}`).not.toContain(res.status)
      else expect(res.status, `${role} must be refused by ${route.file}: ${body}`).toBe(403)
      expect(res.status, body).toBeLessThan(500)
    }
  })
})
