import { sql } from 'drizzle-orm'
import { bigint, boolean, check, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

export const ROLES = ['owner', 'admin', 'manager', 'operator', 'staff'] as const
export type Role = (typeof ROLES)[number]

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
