import { sql } from 'drizzle-orm'
import { boolean, char, check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'

/** `telegram_shipping`: a courier to the address the customer gives in Telegram's payment form (priced by zone in `shipping_query`). */
export const DELIVERY_METHODS = ['pickup', 'courier', 'telegram_shipping'] as const
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number]

/** Telegram's ShippingAddress, as the customer typed it in the payment form. */
export interface TelegramShippingAddress {
  country_code: string
  state: string
  city: string
  street_line1: string
  street_line2: string
  post_code: string
}

export const pickupPoints = pgTable(
  'pickup_points',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    address: jsonb('address').$type<LocalizedText>().notNull(),
    hours: jsonb('hours').$type<LocalizedText>().notNull(),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('pickup_points_slug_idx').on(t.slug)],
)

/**
 * Courier delivery priced per zone, free from a threshold. For addresses typed in Telegram's payment
 * form a zone covers post codes starting with one of `postCodePrefixes` and the `cities` listed
 * (within `countryCode` when set); see `zonesForAddress` for the rule.
 */
export const deliveryZones = pgTable(
  'delivery_zones',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull(),
    priceMinor: integer('price_minor').notNull(),
    freeFromMinor: integer('free_from_minor'),
    minOrderMinor: integer('min_order_minor').notNull().default(0),
    etaMinutes: integer('eta_minutes').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** ISO 3166-1 alpha-2; null: any country. */
    countryCode: char('country_code', { length: 2 }),
    cities: jsonb('cities').$type<string[]>().notNull().default([]),
    postCodePrefixes: jsonb('post_code_prefixes').$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [uniqueIndex('delivery_zones_slug_idx').on(t.slug), check('delivery_zones_price_check', sql`${t.priceMinor} >= 0`)],
)
