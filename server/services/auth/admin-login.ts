import { createHash, randomBytes } from 'node:crypto'
import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { adminLoginTokens, adminSessions } from '../../db/schema/auth'
import { isStaff, type Role } from '#shared/permissions'
import { DomainError } from '../../utils/errors'
import { recordAudit, type AuditContext } from '../audit'
import { findUserWithRoles, toMeUser } from './users'
import type { MeUser } from '#shared/schemas/auth'

/** A sign-in link works once and for this long. */
export const ADMIN_LINK_TTL_SECONDS = 5 * 60
/** A desktop /admin session lasts this long, whatever the activity. */
export const ADMIN_SESSION_TTL_SECONDS = 12 * 3600

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/** Creates a one-time sign-in link for a staff member; only the token's hash is stored. */
export async function issueAdminLoginLink(db: DbOrTx, telegramId: number, publicUrl: string, audit: Omit<AuditContext, 'actorId'>): Promise<{ url: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(Date.now() + ADMIN_LINK_TTL_SECONDS * 1000)
  await db.transaction(async (tx) => {
    await tx.insert(adminLoginTokens).values({ tokenHash: sha256(token), telegramId, expiresAt })
    await recordAudit(tx, { ...audit, actorId: telegramId, action: 'auth.link_issued', entityType: 'user', entityId: telegramId, after: { expiresAt: expiresAt.toISOString() } })
  })
  const url = new URL('/admin/login', publicUrl)
  url.searchParams.set('token', token)
  return { url: url.toString(), expiresAt }
}

type SignInFailure = 'login_link_invalid' | 'login_link_used' | 'login_link_expired' | 'forbidden'
const FAILURE_MESSAGES: Record<SignInFailure, string> = {
  login_link_invalid: 'This sign-in link is not valid; send /admin to the bot for a new one',
  login_link_used: 'This sign-in link was already used; send /admin to the bot for a new one',
  login_link_expired: 'This sign-in link has expired; send /admin to the bot for a new one',
  forbidden: 'Your account has no staff role',
}

export interface AdminSignIn {
  sessionId: string
  csrfToken: string
  expiresAt: Date
  user: MeUser
  roles: Role[]
}

/**
 * Redeems a sign-in token and opens a session. The single conditional UPDATE is what makes the
 * link single-use across replicas: a replay (or a concurrent twin) finds no unused row. Success
 * and every failure are audited; the failure is audited and committed before the error is thrown.
 */
export async function redeemAdminLoginToken(db: DbOrTx, token: string, context: Omit<AuditContext, 'actorId' | 'actorVia'> & { userAgent?: string | null }): Promise<AdminSignIn> {
  const tokenHash = sha256(token)
  const audit = { actorVia: 'session' as const, requestId: context.requestId, ip: context.ip }
  const outcome = await db.transaction(async (tx): Promise<{ failure: SignInFailure } | AdminSignIn> => {
    const [redeemed] = await tx
      .update(adminLoginTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(adminLoginTokens.tokenHash, tokenHash), isNull(adminLoginTokens.usedAt), gt(adminLoginTokens.expiresAt, sql`now()`)))
      .returning({ telegramId: adminLoginTokens.telegramId })
    if (!redeemed) {
      const [known] = await tx.select().from(adminLoginTokens).where(eq(adminLoginTokens.tokenHash, tokenHash))
      const failure: SignInFailure = !known ? 'login_link_invalid' : known.usedAt ? 'login_link_used' : 'login_link_expired'
      await recordAudit(tx, { ...audit, actorId: known?.telegramId ?? null, action: 'auth.sign_in_failed', entityType: 'user', entityId: known?.telegramId ?? null, after: { reason: failure } })
      return { failure }
    }
    const found = await findUserWithRoles(tx, redeemed.telegramId)
    if (!found || !isStaff(found.roles)) {
      await recordAudit(tx, { ...audit, actorId: redeemed.telegramId, action: 'auth.sign_in_failed', entityType: 'user', entityId: redeemed.telegramId, after: { reason: 'not_staff' } })
      return { failure: 'forbidden' }
    }
    const sessionId = randomBytes(24).toString('base64url')
    const expiresAt = new Date(Date.now() + ADMIN_SESSION_TTL_SECONDS * 1000)
    await tx.insert(adminSessions).values({ id: sessionId, telegramId: redeemed.telegramId, expiresAt, ip: context.ip ?? null, userAgent: context.userAgent?.slice(0, 300) ?? null })
    await recordAudit(tx, { ...audit, actorId: redeemed.telegramId, action: 'auth.sign_in', entityType: 'user', entityId: redeemed.telegramId, after: { roles: found.roles, via: 'admin_link', sessionExpiresAt: expiresAt.toISOString() } })
    return { sessionId, csrfToken: randomBytes(24).toString('base64url'), expiresAt, user: toMeUser(found.row), roles: found.roles }
  })
  if ('failure' in outcome) throw new DomainError(outcome.failure, FAILURE_MESSAGES[outcome.failure])
  return outcome
}

/** A live session (not revoked, not expired) with its user and their roles as of now. */
export async function findAdminSession(db: DbOrTx, sessionId: string) {
  const [session] = await db
    .select({ telegramId: adminSessions.telegramId, expiresAt: adminSessions.expiresAt })
    .from(adminSessions)
    .where(and(eq(adminSessions.id, sessionId), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, sql`now()`)))
  if (!session) return undefined
  const found = await findUserWithRoles(db, session.telegramId)
  return found && { user: toMeUser(found.row), roles: found.roles, expiresAt: session.expiresAt }
}

/** Ends a session for good (every replica sees the revoked row). */
export async function revokeAdminSession(db: DbOrTx, sessionId: string, audit: AuditContext): Promise<void> {
  await db.transaction(async (tx) => {
    const ended = await tx.update(adminSessions).set({ revokedAt: new Date() }).where(and(eq(adminSessions.id, sessionId), isNull(adminSessions.revokedAt))).returning({ id: adminSessions.telegramId })
    if (ended.length) await recordAudit(tx, { ...audit, action: 'auth.sign_out', entityType: 'user', entityId: ended[0]!.id })
  })
}

/** Housekeeping: drops used or expired links and dead sessions (kept a day for investigation). */
export async function pruneAdminLogins(db: DbOrTx): Promise<void> {
  const dayAgo = sql`now() - interval '1 day'`
  await db.delete(adminLoginTokens).where(lt(adminLoginTokens.expiresAt, dayAgo))
  await db.delete(adminSessions).where(or(lt(adminSessions.expiresAt, dayAgo), lt(adminSessions.revokedAt, dayAgo)))
}
