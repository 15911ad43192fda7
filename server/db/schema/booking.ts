import { sql } from 'drizzle-orm'
import { boolean, char, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'

/** Something a customer books: a masterclass, a tasting, a table. */
export const bookingServices = pgTable(
  'booking_services',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    priceMinor: integer('price_minor').notNull(),
    currency: char('currency', { length: 3 }).notNull().default('RUB'),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('booking_services_slug_idx').on(t.slug),
    check('booking_services_duration_check', sql`${t.durationMinutes} between 5 and 1440`),
    check('booking_services_price_check', sql`${t.priceMinor} >= 0`),
  ],
)

/** Who or what is held by a booking: a barista, a room, a table. */
export const bookingResources = pgTable(
  'booking_resources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    /** IANA zone the opening hours are written in. */
    timezone: text('timezone').notNull().default('Europe/Moscow'),
    /** Weekly opening hours, ISO weekday (1 = Monday) -> ["10:00", "20:00"]. */
    workingHours: jsonb('working_hours').$type<Record<string, [string, string]>>().notNull(),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('booking_resources_slug_idx').on(t.slug)],
)

export const bookingResourceServices = pgTable(
  'booking_resource_services',
  {
    resourceId: integer('resource_id')
      .notNull()
      .references(() => bookingResources.id, { onDelete: 'cascade' }),
    serviceId: integer('service_id')
      .notNull()
      .references(() => bookingServices.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'booking_resource_services_pk', columns: [t.resourceId, t.serviceId] }), index('booking_resource_services_service_idx').on(t.serviceId)],
)
