import { timingSafeEqual } from 'node:crypto'
import { clearSession, getCookie, getHeader, getRequestHost, setResponseHeader, unsealSession, useSession, type H3Event, type SessionConfig } from 'h3'
import { PERMISSIONS, can, type Permission, type Role } from '#shared/permissions'
import type { MeUser } from '#shared/schemas/auth'
import { InitDataError, parseAuthorizationHeader, validateInitData, type TelegramInitData } from '../services/auth/init-data'
import { syncTelegramUser } from '../services/auth/users'
import { ADMIN_SESSION_TTL_SECONDS, findAdminSession, type AdminSignIn } from '../services/auth/admin-login'
import { RATE_LIMITS, hitRateLimits, type RateLimitRule } from '../services/auth/rate-limit'
import type { AuditContext } from '../services/audit'
import { installationSecret } from '../services/auth/installation-secret'
import { apiError } from './errors'
import { requestClientIp } from './client-ip'
import { useServices, type AppServices } from './runtime'

export { RATE_LIMITS }

/** A Mini App user, recognised by validated initData only. */
export interface TmaAuth {
  user: MeUser
  roles: Role[]
  initData: TelegramInitData
}

/** Someone acting on /api/admin/**: a Mini App user (initData) or a desktop /admin session (cookie). */
export interface StaffActor {
  user: MeUser
  roles: Role[]
  via: 'tma' | 'session'
  initData?: TelegramInitData
  session?: { id: string; csrfToken: string; expiresAt: Date }
}

const SESSION_COOKIE = 'tma_admin'
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const isWrite = (event: H3Event) => !READ_METHODS.has(event.method)

/** The client's IP: the socket's, or the X-Forwarded-For entry TRUST_PROXY hops from the right (server/utils/client-ip.ts). */
export function clientIp(event: H3Event, services: Pick<AppServices, 'config'>): string {
  return requestClientIp(event, services.config.trustProxyHops) ?? 'unknown'
}

/** Who did it and from where, for `recordAudit`. */
export function auditContext(event: H3Event, services: Pick<AppServices, 'config'>, actor?: { user: { id: number }; via: 'tma' | 'session' }): AuditContext {
  return {
    actorId: actor?.user.id ?? null,
    actorVia: actor?.via ?? 'anonymous',
    requestId: (event.context.requestId as string | undefined) ?? null,
    ip: clientIp(event, services),
  }
}

/** Counts a hit against `rules`; over the limit answers 429 `rate_limited` with Retry-After. */
export async function enforceRateLimit(event: H3Event, services: Pick<AppServices, 'db'>, rules: RateLimitRule[]): Promise<void> {
  const verdict = await hitRateLimits(services.db, rules)
  if (verdict.allowed) return
  setResponseHeader(event, 'Retry-After', verdict.retryAfterSeconds)
  throw apiError('rate_limited', `Too many requests; try again in ${verdict.retryAfterSeconds} s`, { retryAfterSeconds: verdict.retryAfterSeconds })
}

async function limitWrites(event: H3Event, services: AppServices, userId: number) {
  if (!isWrite(event)) return
  await enforceRateLimit(event, services, [
    { key: `write:user:${userId}`, ...RATE_LIMITS.writesPerUser },
    { key: `write:ip:${clientIp(event, services)}`, ...RATE_LIMITS.writesPerIp },
  ])
}

function thirdPartyOption(services: AppServices) {
  const environment = services.config.telegram.initDataThirdParty
  if (environment === 'off') return false
  return { botId: Number(services.telegram.token.split(':')[0]), environment }
}

/**
 * initData strings already validated by this process: a Mini App sends the same string with every
 * request of a launch, so its HMAC is checked once and later requests only re-check its age. The
 * key is the bot token and the whole signed string (hash included), so only a byte-identical
 * string signed for the same bot ever hits.
 */
const validatedInitData = new Map<string, TelegramInitData>()
const VALIDATED_KEPT = 10_000

function validateInitDataOnce(raw: string, services: AppServices): TelegramInitData {
  const maxAgeSeconds = services.config.telegram.initDataMaxAgeSeconds
  const key = `${services.telegram.token}\u0000${raw}`
  const known = validatedInitData.get(key)
  if (known && Date.now() - known.authDate.getTime() <= maxAgeSeconds * 1000) return known
  validatedInitData.delete(key)
  const initData = validateInitData(raw, { botToken: services.telegram.token, maxAgeSeconds, thirdParty: thirdPartyOption(services) })
  if (validatedInitData.size >= VALIDATED_KEPT) validatedInitData.delete(validatedInitData.keys().next().value!)
  validatedInitData.set(key, initData)
  return initData
}

/**
 * Guard for Mini App routes: validates `Authorization: tma <initData>` (HMAC with our bot token,
 * freshness, optional Ed25519), upserts the user and re-reads their roles. Cached per request.
 */
export async function requireTmaUser(event: H3Event): Promise<TmaAuth> {
  if (event.context.tmaAuth) return event.context.tmaAuth as TmaAuth
  const services = await useServices()
  let initData: TelegramInitData
  try {
    initData = validateInitDataOnce(parseAuthorizationHeader(getHeader(event, 'authorization')), services)
  } catch (error) {
    if (error instanceof InitDataError) throw apiError(error.code, error.message)
    throw error
  }
  if (!initData.user) throw apiError('auth_malformed', 'Init data carries no user')
  const { user, roles } = await syncTelegramUser(services.db, initData.user, {
    ownerIds: services.config.adminTelegramIds,
    audit: { requestId: event.context.requestId ?? null, ip: clientIp(event, services) },
  })
  await limitWrites(event, services, user.id)
  const auth: TmaAuth = { user, roles, initData }
  event.context.tmaAuth = auth
  return auth
}

/** SESSION_SECRET, or the installation's own (services/auth/installation-secret.ts). */
const resolveSessionSecret = (services: AppServices) => installationSecret(services)

/** The sealed, httpOnly, SameSite=Lax cookie that holds a desktop /admin session id (Secure under https). */
export async function adminSessionConfig(services: AppServices): Promise<SessionConfig> {
  return {
    name: SESSION_COOKIE,
    password: await resolveSessionSecret(services),
    maxAge: ADMIN_SESSION_TTL_SECONDS,
    sessionHeader: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: services.config.publicUrl.startsWith('https://'), path: '/' },
  }
}

/** Sets the session cookie after a successful sign-in. */
export async function startAdminSession(event: H3Event, services: AppServices, signIn: AdminSignIn): Promise<void> {
  const session = await useSession(event, await adminSessionConfig(services))
  await session.update({ sid: signIn.sessionId, csrf: signIn.csrfToken })
}

export async function clearAdminSession(event: H3Event, services: AppServices): Promise<void> {
  await clearSession(event, await adminSessionConfig(services))
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * CSRF defence for cookie-authenticated writes: the Origin (when the browser sends one) must be
 * ours, and the double-submit `X-CSRF-Token` must equal the token sealed in the session cookie.
 * initData requests need neither: a browser never attaches `Authorization: tma` by itself.
 */
function checkCsrf(event: H3Event, services: AppServices, expected: string) {
  const origin = getHeader(event, 'origin')
  if (origin) {
    let host: string | undefined
    try {
      host = new URL(origin).host
    } catch {}
    const ours = origin === new URL(services.config.publicUrl).origin || host === getRequestHost(event, { xForwardedHost: services.config.trustProxyHops > 0 })
    if (!ours) throw apiError('csrf_failed', 'Cross-origin write refused')
  }
  if (!safeEqual(getHeader(event, 'x-csrf-token') ?? '', expected)) throw apiError('csrf_failed', 'Missing or wrong X-CSRF-Token; get one from GET /api/auth/session')
}

async function requireAdminSession(event: H3Event, services: AppServices): Promise<StaffActor> {
  const sealed = getCookie(event, SESSION_COOKIE)
  if (!sealed) throw apiError('auth_missing', 'Sign in: open /admin from the Mini App, or send /admin to the bot for a sign-in link')
  const config = await adminSessionConfig(services)
  let data: { sid?: unknown; csrf?: unknown } | undefined
  try {
    data = (await unsealSession(event, config, sealed)).data as typeof data
  } catch (error) {
    throw apiError(/expired/i.test((error as Error).message) ? 'auth_expired' : 'auth_malformed', 'The /admin session cookie is not valid; sign in again')
  }
  if (typeof data?.sid !== 'string' || typeof data.csrf !== 'string') throw apiError('auth_malformed', 'The /admin session cookie is not valid; sign in again')
  const found = await findAdminSession(services.db, data.sid)
  if (!found) throw apiError('auth_expired', 'Your /admin session has ended; sign in again')
  if (isWrite(event)) checkCsrf(event, services, data.csrf)
  await limitWrites(event, services, found.user.id)
  return { user: found.user, roles: found.roles, via: 'session', session: { id: data.sid, csrfToken: data.csrf, expiresAt: found.expiresAt } }
}

/**
 * Whoever calls an admin route: `Authorization: tma` when present (staff inside Telegram), else the
 * /admin session cookie. Roles are read from the database on every request. Cached per request.
 */
export async function requireActor(event: H3Event): Promise<StaffActor> {
  if (event.context.actor) return event.context.actor as StaffActor
  const services = await useServices()
  let actor: StaffActor
  if (getHeader(event, 'authorization') !== undefined) {
    const tma = await requireTmaUser(event)
    actor = { user: tma.user, roles: tma.roles, via: 'tma', initData: tma.initData }
  } else {
    actor = await requireAdminSession(event, services)
  }
  event.context.actor = actor
  return actor
}

/** Guard for every /api/admin/** route: the actor's current roles must grant `permission` (shared/permissions.ts). */
export async function requireRole(event: H3Event, permission: Permission): Promise<StaffActor> {
  const actor = await requireActor(event)
  if (!can(actor.roles, permission)) throw apiError('forbidden', `Your role does not allow "${permission}"`)
  await refuseDemoWrite(event)
  return actor
}

/**
 * PUBLIC_DEMO: the sandbox hands an owner's identity to anyone who asks, and with no real bot
 * token every identity (initData signed with the sandbox token, /admin sessions from the sandbox
 * bot's links) comes from the sandbox. So staff may look at every screen but no staff write
 * (settings, roles, prices, stock, order status, refunds) goes through. Enforced here, in the one
 * guard every admin route calls, and again by the /api/admin middleware.
 */
export async function refuseDemoWrite(event: H3Event): Promise<void> {
  if (!isWrite(event)) return
  const services = await useServices()
  if (services.config.publicDemo) throw apiError('demo_read_only', 'This is a public demo: staff actions are shown but not carried out')
}

/** Permissions the roles hold, for the /admin UI to hide what it cannot use. */
export const permissionsOf = (roles: readonly Role[]) => (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(roles, p))
