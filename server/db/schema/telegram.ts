import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

export const TELEGRAM_UPDATE_STATUSES = ['pending', 'processing', 'done', 'failed'] as const
export type TelegramUpdateStatus = (typeof TELEGRAM_UPDATE_STATUSES)[number]

/**
 * Every update Telegram delivered, stored before we acknowledge it. `update_id` is the dedupe
 * key; `status` + `locked_until` form a lease so that exactly one worker (in any replica)
 * handles an update at a time, and a crashed or failed handling is picked up again.
 */
export const telegramUpdates = pgTable(
  'telegram_updates',
  {
    updateId: bigint('update_id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<TelegramUpdateStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    check('telegram_updates_status_check', sql`${t.status} in ('pending', 'processing', 'done', 'failed')`),
    index('telegram_updates_retry_idx').on(t.nextAttemptAt).where(sql`${t.status} <> 'done'`),
  ],
)
