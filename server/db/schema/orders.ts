import { sql } from 'drizzle-orm'
import { bigint, boolean, char, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'
import { users } from './auth'
import { products } from './catalog'

export const ORDER_STATUSES = ['new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]
export const PAYMENT_METHODS = ['telegram', 'cash_on_delivery', 'card_on_delivery'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]
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

export const orders = pgTable(
  'orders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** What customers and operators say on the phone: short and unique. */
    number: text('number').notNull(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'restrict' }),
    status: text('status').$type<OrderStatus>().notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    itemsTotalMinor: integer('items_total_minor').notNull(),
    deliveryMinor: integer('delivery_minor').notNull(),
    discountMinor: integer('discount_minor').notNull().default(0),
    totalMinor: integer('total_minor').notNull(),
    deliveryMethod: text('delivery_method').$type<DeliveryMethod>().notNull(),
    pickupPointId: integer('pickup_point_id').references(() => pickupPoints.id, { onDelete: 'restrict' }),
    deliveryZoneId: integer('delivery_zone_id').references(() => deliveryZones.id, { onDelete: 'restrict' }),
    address: jsonb('address').$type<SavedAddress>(),
    /** `telegram_shipping`: the address from the payment form and the option chosen there, stored with the payment. */
    shippingAddress: jsonb('shipping_address').$type<TelegramShippingAddress>(),
    shippingOptionId: text('shipping_option_id'),
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(),
    comment: text('comment'),
    paymentMethod: text('payment_method').$type<PaymentMethod>().notNull(),
    /** Client-chosen key: a retried create returns this order instead of a second one. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** Stock is held until then; an unpaid order is cancelled and its stock released after it. */
    reservedUntil: timestamp('reserved_until', { withTimezone: true, mode: 'date' }),
    stockReleasedAt: timestamp('stock_released_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('orders_number_idx').on(t.number),
    uniqueIndex('orders_idempotency_idx').on(t.userId, t.idempotencyKey),
    index('orders_user_idx').on(t.userId, t.createdAt),
    index('orders_status_idx').on(t.status, t.createdAt),
    index('orders_reserved_idx').on(t.reservedUntil).where(sql`${t.status} in ('new', 'awaiting_payment') and ${t.stockReleasedAt} is null`),
    check('orders_status_check', sql`${t.status} in ('new', 'awaiting_payment', 'paid', 'in_progress', 'ready', 'shipped', 'done', 'cancelled', 'refunded')`),
    check('orders_total_check', sql`${t.totalMinor} = ${t.itemsTotalMinor} + ${t.deliveryMinor} - ${t.discountMinor} and ${t.totalMinor} >= 0`),
    // A Telegram-shipping order learns its address and zone with the payment: once paid it has them.
    check(
      'orders_delivery_check',
      sql`(${t.deliveryMethod} = 'pickup' and ${t.pickupPointId} is not null) or (${t.deliveryMethod} = 'courier' and ${t.deliveryZoneId} is not null and ${t.address} is not null) or (${t.deliveryMethod} = 'telegram_shipping' and ${t.pickupPointId} is null and (${t.status} in ('awaiting_payment', 'cancelled') or (${t.deliveryZoneId} is not null and ${t.shippingAddress} is not null and ${t.address} is not null)))`,
    ),
  ],
)

export const orderItems = pgTable(
  'order_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    /** Name and options as the customer saw them, kept even if the product changes later. */
    name: jsonb('name').$type<LocalizedText>().notNull(),
    options: jsonb('options').$type<{ key: string; value: string; name: LocalizedText; valueName: LocalizedText }[]>().notNull().default([]),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    quantity: integer('quantity').notNull(),
    totalMinor: integer('total_minor').notNull(),
    ...timestamps,
  },
  (t) => [index('order_items_order_idx').on(t.orderId), check('order_items_quantity_check', sql`${t.quantity} > 0`)],
)

/** Every status change with who made it and why: the customer's timeline and the operator's history. */
export const orderStatusHistory = pgTable(
  'order_status_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<OrderStatus>(),
    toStatus: text('to_status').$type<OrderStatus>().notNull(),
    actorKind: text('actor_kind').$type<'customer' | 'staff' | 'system'>().notNull(),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    note: text('note'),
    ...timestamps,
  },
  (t) => [index('order_status_history_order_idx').on(t.orderId, t.createdAt)],
)
