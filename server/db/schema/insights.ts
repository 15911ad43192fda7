import { sql } from 'drizzle-orm'
import { bigint, check, date, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'

/** What the business overview counts per person per day, besides the modules' own records. */
export const ACTIVITY_KINDS = ['app_open', 'cart'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]

/**
 * One row per person, day and kind: they opened the Mini App (`app_open`) or put something in the
 * cart (`cart`) that day. The funnel of the business overview counts these; nothing else (no
 * pages, no devices, no times of day) is kept. Days are the business's calendar days.
 */
export const dailyActivity = pgTable(
  'daily_activity',
  {
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind').$type<ActivityKind>().notNull(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.day, t.kind, t.userId] }),
    index('daily_activity_user_idx').on(t.userId),
    check('daily_activity_kind_check', sql`${t.kind} in ('app_open', 'cart')`),
  ],
)
