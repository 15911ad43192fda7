import { sql } from 'drizzle-orm'
import { bigint, char, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'
import { users } from './auth'
import { products } from './catalog'
import { deliveryZones, pickupPoints, type DeliveryMethod, type TelegramShippingAddress } from './delivery'
import type { SavedAddress } from './account'
import { ORDER_STATUSES, type OrderStatus } from '../../../shared/schemas/orders'

export { ORDER_STATUSES, type OrderStatus }
export const PAYMENT_METHODS = ['telegram', 'cash_on_delivery', 'card_on_delivery'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

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
