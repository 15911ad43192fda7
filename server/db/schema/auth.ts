import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { ROLES, type Role } from '../../../shared/permissions'
import { timestamps } from './_columns'

export { ROLES, type Role }

/** A Telegram user, written only from validated initData or from updates Telegram signed. */
export const users = pgTable(
  'users',
  {
    telegramId: bigint('telegram_id', { mode: 'number' }).primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    username: text('username'),
    languageCode: text('language_code'),
    /** What the user picked in the app; wins over Telegram's language_code. */
    locale: text('locale'),
    photoUrl: text('photo_url'),
    isPremium: boolean('is_premium').notNull().default(false),
    allowsWriteToPm: boolean('allows_write_to_pm').notNull().default(false),
    /** Set when the bot got 403 from this chat: stop sending until the user writes again. */
    blockedBotAt: timestamp('blocked_bot_at', { withTimezone: true, mode: 'date' }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index('users_username_idx').on(t.username)],
)

export const userRoles = pgTable(
  'user_roles',
  {
    telegramId: bigint('telegram_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    role: text('role').$type<Role>().notNull(),
    grantedBy: bigint('granted_by', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'user_roles_pk', columns: [t.telegramId, t.role] }),
    check('user_roles_role_check', sql`${t.role} in ('owner', 'admin', 'manager', 'operator', 'staff')`),
  ],
)

/**
 * One-time /admin sign-in links sent by the bot's /admin command. Only the SHA-256 of the token is
 * stored; `used_at` is set by the single UPDATE that redeems it, so a replay finds nothing to take.
 */
export const adminLoginTokens = pgTable(
  'admin_login_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text('token_hash').notNull(),
    telegramId: bigint('telegram_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('admin_login_tokens_hash_idx').on(t.tokenHash), index('admin_login_tokens_user_idx').on(t.telegramId), index('admin_login_tokens_expires_idx').on(t.expiresAt)],
)

/**
 * Desktop /admin sessions. The sealed cookie carries only the id; the row makes logout and
 * expiry real on every replica (a stolen cookie dies with the row).
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: text('id').primaryKey(),
    telegramId: bigint('telegram_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    ...timestamps,
  },
  (t) => [index('admin_sessions_user_idx').on(t.telegramId), index('admin_sessions_expires_idx').on(t.expiresAt)],
)

/**
 * Counters for rate limits, shared by every replica: one row per key and fixed window, bumped with
 * a single upsert; a limit reads the window running and the one before it (a sliding window,
 * server/services/auth/rate-limit.ts). Windows are pruned by a periodic job once the next has ended.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'date' }).notNull(),
    hits: integer('hits').notNull().default(1),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'rate_limits_pk', columns: [t.key, t.windowStart] }), index('rate_limits_expires_idx').on(t.expiresAt)],
)
