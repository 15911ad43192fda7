import { sql } from 'drizzle-orm'
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'
import { DOCUMENT_KINDS, type DocumentKind, type NotificationPreferences } from '../../../shared/schemas/account'

export { DOCUMENT_KINDS, type DocumentKind }

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
    /** The one checkout offers first; at most one per customer. */
    isDefault: boolean('is_default').notNull().default(false),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index('user_addresses_user_idx').on(t.userId, t.lastUsedAt), uniqueIndex('user_addresses_default_idx').on(t.userId).where(sql`${t.isDefault}`)],
)

/**
 * What the customer added to their Telegram profile: contact data and preferences. Telegram's own
 * fields (name, username, language) stay in `users` (auth module).
 */
export const customerProfiles = pgTable(
  'customer_profiles',
  {
    userId: bigint('user_id', { mode: 'number' })
      .primaryKey()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    phone: text('phone'),
    /** The phone came from Telegram (a shared contact of this very user), not typed by hand. */
    phoneVerified: boolean('phone_verified').notNull().default(false),
    email: text('email'),
    birthday: date('birthday', { mode: 'string' }),
    /** Per kind of message; a kind missing here is on. */
    notifications: jsonb('notifications').$type<Partial<NotificationPreferences>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [index('customer_profiles_phone_idx').on(t.phone)],
)

/**
 * The customer's documents: receipts the app generates for paid orders and files an operator
 * attaches (contracts, acts, certificates). The bytes live in the private document store
 * (DATA_DIR/documents), never under the public /files route; downloads go through signed links.
 */
export const customerDocuments = pgTable(
  'customer_documents',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    kind: text('kind').$type<DocumentKind>().notNull(),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    /** The key in the private document store (a random UUID plus extension). */
    storageKey: text('storage_key').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** The order a receipt is for (one receipt per order). */
    orderId: integer('order_id'),
    uploadedBy: bigint('uploaded_by', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    index('customer_documents_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('customer_documents_receipt_idx').on(t.orderId).where(sql`${t.kind} = 'receipt' and ${t.revokedAt} is null`),
    check('customer_documents_kind_check', sql`${t.kind} in ('receipt', 'contract', 'act', 'certificate', 'other')`),
    check('customer_documents_size_check', sql`${t.sizeBytes} > 0`),
  ],
)

/** Operators' notes on a customer (the customer card in /admin); never shown to the customer. */
export const customerNotes = pgTable(
  'customer_notes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    authorId: bigint('author_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    body: text('body').notNull(),
    ...timestamps,
  },
  (t) => [index('customer_notes_user_idx').on(t.userId, t.createdAt)],
)

/**
 * One row per deleted account: no personal data, only the placeholder user the kept money records
 * now belong to (`tombstone_id`, negative: Telegram ids are positive) and what each module did.
 */
export const accountDeletions = pgTable('account_deletions', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  tombstoneId: bigint('tombstone_id', { mode: 'number' }).notNull(),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
  ...timestamps,
})
