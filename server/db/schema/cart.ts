import { sql } from 'drizzle-orm'
import { bigint, check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { users } from './auth'
import { products } from './catalog'

/** Selected option values of a cart line or order line: option key -> value. */
export type SelectedOptions = Record<string, string>

/** The server-side cart: one line per product and option choice, following the user across devices. */
export const cartItems = pgTable(
  'cart_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    options: jsonb('options').$type<SelectedOptions>().notNull().default({}),
    /** Canonical `key=value;...` of `options`, so the same choice is one line. */
    optionsKey: text('options_key').notNull().default(''),
    quantity: integer('quantity').notNull(),
    /** Unit price when the line was added: a later change is shown to the customer before checkout. */
    seenUnitPriceMinor: integer('seen_unit_price_minor').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('cart_items_line_idx').on(t.userId, t.productId, t.optionsKey),
    check('cart_items_quantity_check', sql`${t.quantity} between 1 and 99`),
  ],
)
