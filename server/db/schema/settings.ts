import { jsonb, pgTable, text } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'

/**
 * Instance-wide settings and generated secrets (sandbox bot token, default session secret,
 * business profile). Kept in the database so that every replica agrees on them.
 */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  ...timestamps,
})
