import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'

/** An address the customer typed once and may pick again. */
export interface SavedAddress {
  text: string
  apartment?: string
  entrance?: string
  floor?: string
  comment?: string
}

export const userAddresses = pgTable(
  'user_addresses',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    label: text('label'),
    address: jsonb('address').$type<SavedAddress>().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index('user_addresses_user_idx').on(t.userId, t.lastUsedAt)],
)
