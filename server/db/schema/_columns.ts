import { customType, timestamp } from 'drizzle-orm/pg-core'

/** `created_at` / `updated_at` on every table (house habit 7); `updated_at` is bumped by Drizzle on update. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
}

/** Text in every language the business writes in; `ru` and `en` are always present. */
export type LocalizedText = { ru: string; en: string }

export const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
})
