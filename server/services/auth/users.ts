import { and, asc, desc, eq, ilike, inArray, isNotNull, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { preparedPer } from '../../db/prepared'
import { userRoles, users } from '../../db/schema/auth'
import { ROLES, type Role } from '#shared/permissions'
import type { AdminUserItem, MeUser } from '#shared/schemas/auth'
import { resolveLocale, type Locale } from '#shared/locale'
import { DomainError } from '../../utils/errors'
import { recordAudit, type AuditContext } from '../audit'
import type { TelegramInitUser } from './init-data'
import { userCacheOf, userChangedHere } from './user-cache'
import { containsPattern } from '../../db/like'

/** A user row is rewritten at most this often when nothing else changed (last_seen_at granularity). */
export const LAST_SEEN_REFRESH_MS = 10 * 60 * 1000

type UserRow = typeof users.$inferSelect
/** Telegram's view of a user as it reaches us from validated initData or a signed update. */
export type TelegramProfile = Pick<TelegramInitUser, 'id' | 'firstName' | 'lastName' | 'username' | 'languageCode' | 'photoUrl'> &
  Partial<Pick<TelegramInitUser, 'isPremium' | 'allowsWriteToPm'>>

export function toMeUser(row: UserRow): MeUser {
  return {
    id: row.telegramId,
    firstName: row.firstName,
    lastName: row.lastName ?? null,
    username: row.username ?? null,
    languageCode: row.languageCode ?? null,
    locale: resolveLocale(row.locale, row.languageCode),
    photoUrl: row.photoUrl ?? null,
    isPremium: row.isPremium,
    allowsWriteToPm: row.allowsWriteToPm,
  }
}

const byRoleOrder = (roles: Role[]) => ROLES.filter((role) => roles.includes(role))

/** Roles aggregated in the same statement as the row: one round trip per request. */
// Written out with explicit aliases: Drizzle renders columns unqualified here, and an unqualified
// "telegram_id" inside the subquery would match user_roles itself (every role of every user).
const rolesColumn = sql<Role[] | null>`(select json_agg(ur.role) from user_roles ur where ur.telegram_id = "users"."telegram_id")`

type UserWithRoles = { row: UserRow; roles: Role[] }

/**
 * The stored user and their current roles: from the user cache, which every replica empties for
 * this user when their row or roles change (server/services/auth/user-cache.ts), so a removed role
 * takes effect at once; from SQL inside a transaction.
 */
export async function findUserWithRoles(db: DbOrTx, telegramId: number): Promise<UserWithRoles | undefined> {
  const cache = userCacheOf<UserWithRoles>(db)
  return cache ? cache.get(telegramId, () => readUserWithRoles(db, telegramId)) : readUserWithRoles(db, telegramId)
}

async function readUserWithRoles(db: DbOrTx, telegramId: number): Promise<UserWithRoles | undefined> {
  const [found] = await db.select({ row: users, roles: rolesColumn }).from(users).where(eq(users.telegramId, telegramId))
  if (!found) return undefined
  return { row: found.row, roles: byRoleOrder(found.roles ?? []) }
}

export async function getRoles(db: DbOrTx, telegramId: number): Promise<Role[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.telegramId, telegramId))
  return byRoleOrder(rows.map((r) => r.role))
}

function profileValues(profile: TelegramProfile, source: SyncOptions['source']) {
  const values: Partial<typeof users.$inferInsert> = {
    firstName: profile.firstName,
    lastName: profile.lastName ?? null,
    username: profile.username ?? null,
    languageCode: profile.languageCode ?? null,
  }
  // Only initData carries these; a bot update must not blank what initData said.
  if (source !== 'bot') {
    values.photoUrl = profile.photoUrl ?? null
    values.isPremium = profile.isPremium ?? false
    values.allowsWriteToPm = profile.allowsWriteToPm ?? false
  }
  return values
}

function needsWrite(row: UserRow, values: Partial<typeof users.$inferInsert>, now: number) {
  if (now - row.lastSeenAt.getTime() > LAST_SEEN_REFRESH_MS) return true
  return Object.entries(values).some(([key, value]) => (row as Record<string, unknown>)[key] !== value)
}

export interface SyncOptions {
  /** Where the profile comes from: initData (full) or a bot update (no photo, premium or write access). */
  source?: 'init_data' | 'bot'
  /** ADMIN_TELEGRAM_IDS: these users are made owners when they show up. */
  ownerIds?: readonly number[]
  audit?: Omit<AuditContext, 'actorId' | 'actorVia'>
}

/**
 * Upserts the user from data Telegram signed and returns them with their roles. Reads once per
 * call; writes only when a field changed or last_seen_at is older than LAST_SEEN_REFRESH_MS.
 * Owners listed in ADMIN_TELEGRAM_IDS get the owner role here (audited as a system action).
 */
export async function syncTelegramUser(db: DbOrTx, profile: TelegramProfile, options: SyncOptions = {}): Promise<{ user: MeUser; roles: Role[] }> {
  const values = profileValues(profile, options.source)
  const existing = await findUserWithRoles(db, profile.id)
  let row = existing?.row
  let roles = existing?.roles ?? []
  if (!row || needsWrite(row, values, Date.now())) {
    const [written] = await db
      .insert(users)
      .values({ telegramId: profile.id, firstName: profile.firstName, ...values, lastSeenAt: new Date() })
      .onConflictDoUpdate({ target: users.telegramId, set: { ...values, lastSeenAt: new Date() } })
      .returning()
    row = written!
    userChangedHere(db, profile.id)
  }
  if (options.ownerIds?.includes(profile.id) && !roles.includes('owner')) {
    roles = await bootstrapOwner(db, profile.id, roles, options.audit)
  }
  return { user: toMeUser(row), roles }
}

async function bootstrapOwner(db: DbOrTx, telegramId: number, before: Role[], audit: SyncOptions['audit']): Promise<Role[]> {
  return db.transaction(async (tx) => {
    const inserted = await tx.insert(userRoles).values({ telegramId, role: 'owner' }).onConflictDoNothing().returning()
    const after = await getRoles(tx, telegramId)
    userChangedHere(db, telegramId)
    if (inserted.length) {
      await recordAudit(tx, { actorId: null, actorVia: 'system', ...audit, action: 'role.grant', entityType: 'user', entityId: telegramId, before: { roles: before }, after: { roles: after, reason: 'ADMIN_TELEGRAM_IDS' } })
    }
    return after
  })
}

/** Stores the locale the user picked; answers with the updated user. */
export async function setUserLocale(db: DbOrTx, telegramId: number, locale: Locale): Promise<MeUser> {
  const [row] = await db.update(users).set({ locale }).where(eq(users.telegramId, telegramId)).returning()
  userChangedHere(db, telegramId)
  if (!row) throw new DomainError('not_found', 'No such user')
  return toMeUser(row)
}

/** Users for the /admin roles screen: by name, @username or id, optionally only holders of a role. */
export async function listUsers(db: DbOrTx, query: { search?: string; role?: Role; limit: number }): Promise<AdminUserItem[]> {
  const where = []
  const search = query.search?.replace(/^@/, '')
  if (search) {
    const pattern = containsPattern(search)
    const byText = or(ilike(users.firstName, pattern), ilike(users.lastName, pattern), ilike(users.username, pattern))
    where.push(/^\d{1,16}$/.test(search) ? or(eq(users.telegramId, Number(search)), byText) : byText)
  }
  if (query.role) {
    where.push(sql`exists (select 1 from user_roles ur where ur.telegram_id = "users"."telegram_id" and ur.role = ${query.role})`)
  }
  const rows = await db
    .select({ row: users, roles: rolesColumn })
    .from(users)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(users.lastSeenAt), asc(users.telegramId))
    .limit(query.limit)
  return rows.map(({ row, roles }) => ({ user: toMeUser(row), roles: byRoleOrder(roles ?? []), lastSeenAt: row.lastSeenAt.toISOString() }))
}

/** Telegram answered 403 for this chat: the user blocked the bot. Stop writing until they come back. */
export async function markBotBlocked(db: DbOrTx, telegramId: number) {
  await db.update(users).set({ blockedBotAt: sql`now()` }).where(eq(users.telegramId, telegramId))
}

/** The user wrote to the bot again (e.g. /start): messages may flow again. */
export async function clearBotBlocked(db: DbOrTx, telegramId: number) {
  await db.update(users).set({ blockedBotAt: null }).where(and(eq(users.telegramId, telegramId), isNotNull(users.blockedBotAt)))
}

/** Telegram ids of everyone holding one of `roles` (for operator alerts). */
export async function listStaffIds(db: DbOrTx, roles: readonly Role[]): Promise<number[]> {
  const rows = await db.selectDistinct({ id: userRoles.telegramId }).from(userRoles).where(inArray(userRoles.role, [...roles]))
  return rows.map((r) => r.id)
}

const recipientById = preparedPer((db) => db.select({ locale: users.locale, languageCode: users.languageCode, blockedBotAt: users.blockedBotAt }).from(users).where(eq(users.telegramId, sql.placeholder('telegramId'))).prepare('chat_recipient'))

/** Whom a chat message goes to: the language to write in, and whether they blocked the bot. Undefined for an unknown user. */
export async function chatRecipient(db: DbOrTx, telegramId: number): Promise<{ id: number; locale: Locale; blocked: boolean } | undefined> {
  const [row] = await recipientById(db).execute({ telegramId })
  return row && { id: telegramId, locale: resolveLocale(row.locale, row.languageCode), blocked: row.blockedBotAt !== null }
}

/** The language to answer a message in: what the user picked in the app, else the message's Telegram language. */
export async function chatLocale(db: DbOrTx, telegramId: number, languageCode: string | null | undefined): Promise<Locale> {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.telegramId, telegramId))
  return resolveLocale(row?.locale, languageCode)
}

/** Display names by Telegram id ("Мария Иванова"), for lists that show who did something. */
export async function userNames(db: DbOrTx, telegramIds: readonly number[]): Promise<Map<number, string>> {
  if (!telegramIds.length) return new Map()
  const rows = await db.select({ id: users.telegramId, firstName: users.firstName, lastName: users.lastName }).from(users).where(inArray(users.telegramId, [...new Set(telegramIds)]))
  return new Map(rows.map((r) => [r.id, [r.firstName, r.lastName].filter(Boolean).join(' ')]))
}

/** First names by Telegram id, for places that show a customer to people outside the team (a shared calendar). */
export async function userFirstNames(db: DbOrTx, telegramIds: readonly number[]): Promise<Map<number, string>> {
  if (!telegramIds.length) return new Map()
  const rows = await db.select({ id: users.telegramId, firstName: users.firstName }).from(users).where(inArray(users.telegramId, [...new Set(telegramIds)]))
  return new Map(rows.map((r) => [r.id, r.firstName]))
}

/** The user a deleted customer's kept records (paid orders, payments) move to: no name, no Telegram account (negative id). */
export async function createPlaceholderUser(db: DbOrTx, placeholderId: number) {
  if (placeholderId >= 0) throw new Error('placeholder users have negative ids')
  // Marked as having blocked the bot: no queued message (a status change of a kept order) is ever sent to it.
  await db.insert(users).values({ telegramId: placeholderId, firstName: '—', lastSeenAt: new Date(0), blockedBotAt: new Date(0) })
}

/** Removes a user row; their roles, sessions, sign-in links and everything owned with ON DELETE CASCADE go with it. */
export async function deleteUserRow(db: DbOrTx, telegramId: number) {
  const gone = await db.delete(users).where(eq(users.telegramId, telegramId)).returning({ id: users.telegramId })
  return gone.length > 0
}

/** The stored Telegram fields of a user (for the account's profile and export); undefined when unknown. */
export async function findUser(db: DbOrTx, telegramId: number) {
  const found = await findUserWithRoles(db, telegramId)
  return found && { user: toMeUser(found.row), roles: found.roles, lastSeenAt: found.row.lastSeenAt, createdAt: found.row.createdAt, blockedBot: found.row.blockedBotAt !== null }
}
