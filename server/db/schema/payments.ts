import { sql } from 'drizzle-orm'
import { bigint, char, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps } from './_columns'
import { orders } from './orders'
import { bookings } from './booking'

export const PAYMENT_STATUSES = ['succeeded', 'partially_refunded', 'refunded'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]
/**
 * Why an operator must look at a payment: it paid for an order that was no longer payable, or was paid by someone other than the order's customer;
 * a booking's prepayment that arrived for a hold no longer there (`booking_not_payable`), or a card prepayment owed back after a cancellation
 * that only the operator can refund at the provider (`booking_refund_due`).
 */
export const PAYMENT_FLAGS = ['order_already_paid', 'order_cancelled', 'order_not_payable', 'amount_mismatch', 'wrong_user', 'booking_not_payable', 'booking_refund_due'] as const
export type PaymentFlag = (typeof PAYMENT_FLAGS)[number]
export type PaymentProvider = 'telegram_provider' | 'telegram_stars'

/**
 * One row per Telegram `successful_payment`, unique by `telegram_payment_charge_id`: a replayed or
 * concurrent delivery can never record a payment twice. `raw` keeps Telegram's payload as received.
 */
export const payments = pgTable(
  'payments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer('order_id').references(() => orders.id, { onDelete: 'restrict' }),
    /** A booking's prepayment (invoice payload `booking:<id>`); kept when the booking is erased with its customer. */
    bookingId: integer('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    provider: text('provider').$type<PaymentProvider>().notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    refundedMinor: integer('refunded_minor').notNull().default(0),
    status: text('status').$type<PaymentStatus>().notNull().default('succeeded'),
    flag: text('flag').$type<PaymentFlag>(),
    telegramPaymentChargeId: text('telegram_payment_charge_id').notNull(),
    providerPaymentChargeId: text('provider_payment_charge_id'),
    invoicePayload: text('invoice_payload').notNull(),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('payments_charge_idx').on(t.telegramPaymentChargeId),
    index('payments_order_idx').on(t.orderId),
    index('payments_booking_idx').on(t.bookingId),
    index('payments_created_idx').on(t.createdAt),
    index('payments_flagged_idx').on(t.createdAt).where(sql`${t.flag} is not null`),
    check('payments_status_check', sql`${t.status} in ('succeeded', 'partially_refunded', 'refunded')`),
    check('payments_refunded_check', sql`${t.refundedMinor} between 0 and ${t.amountMinor}`),
  ],
)

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const
export type RefundStatus = (typeof REFUND_STATUSES)[number]

/** A refund of (part of) a payment: Stars through refundStarPayment, provider refunds recorded with the provider's reference. */
export const refunds = pgTable(
  'refunds',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    paymentId: integer('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'restrict' }),
    amountMinor: integer('amount_minor').notNull(),
    reason: text('reason').notNull(),
    status: text('status').$type<RefundStatus>().notNull(),
    providerReference: text('provider_reference'),
    /** Who asked for it; null when Telegram told us about a refund made elsewhere. */
    actorId: bigint('actor_id', { mode: 'number' }),
    idempotencyKey: text('idempotency_key').notNull(),
    error: text('error'),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('refunds_idempotency_idx').on(t.paymentId, t.idempotencyKey),
    index('refunds_payment_idx').on(t.paymentId),
    check('refunds_amount_check', sql`${t.amountMinor} > 0`),
    check('refunds_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
  ],
)

/** Result of comparing Telegram's Star transactions with our payments and refunds. */
export const starReconciliations = pgTable(
  'star_reconciliations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    checkedFrom: timestamp('checked_from', { withTimezone: true, mode: 'date' }).notNull(),
    telegramCount: integer('telegram_count').notNull(),
    ourCount: integer('our_count').notNull(),
    /** Each difference: { kind: 'missing_here' | 'missing_at_telegram' | 'amount_mismatch', chargeId, telegramAmount?, ourAmount? }. */
    differences: jsonb('differences').$type<{ kind: string; chargeId: string; telegramAmount?: number; ourAmount?: number }[]>().notNull(),
    ...timestamps,
  },
  (t) => [index('star_reconciliations_created_idx').on(t.createdAt)],
)
