import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'
import { bookingResources } from './booking'

/**
 * A private iCal feed of one resource's bookings (a specialist's day in their phone's calendar).
 * The secret URL's token is never stored: only its SHA-256, so a database copy cannot read
 * anyone's calendar. One live feed per resource; rotating revokes it and makes a new one.
 */
export const bookingCalendarFeeds = pgTable(
  'booking_calendar_feeds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => bookingResources.id, { onDelete: 'cascade' }),
    /** hex SHA-256 of the URL's token. */
    tokenHash: text('token_hash').notNull(),
    /** The customer's phone in the events (only when the person holding the feed may see it). */
    includePhone: boolean('include_phone').notNull().default(false),
    /** The language of the events' texts. */
    lang: text('lang').notNull().default('ru'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('booking_calendar_feeds_token_idx').on(t.tokenHash),
    uniqueIndex('booking_calendar_feeds_live_idx').on(t.resourceId).where(sql`${t.revokedAt} is null`),
    index('booking_calendar_feeds_resource_idx').on(t.resourceId),
  ],
)
