import { sql } from 'drizzle-orm'
import { bigint, boolean, char, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { timestamps, type LocalizedText } from './_columns'
import { users } from './auth'
import { BOOKING_STATUSES, type BookingStatus, type PREPAYMENT_METHODS, type WaitlistStatus } from '../../../shared/schemas/booking'

export { BOOKING_STATUSES, type BookingStatus }
export type PrepaymentMethod = (typeof PREPAYMENT_METHODS)[number]

/** Local wall-clock intervals, "HH:MM" pairs, in the resource's time zone. */
export type DayHours = [string, string][]
/** ISO weekday (1 = Monday .. 7 = Sunday) -> opening interval; a missing weekday is a day off. */
export type WeeklyHours = Record<string, [string, string]>
/** ISO weekday -> breaks inside that day's hours. */
export type WeeklyBreaks = Record<string, DayHours>

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
    /** Time kept free on the resource before and after each booking (setting up, cleaning). */
    bufferBeforeMinutes: integer('buffer_before_minutes').notNull().default(0),
    bufferAfterMinutes: integer('buffer_after_minutes').notNull().default(0),
    /** Seats per session: 1 for a one-on-one, 12 for a class. */
    capacity: integer('capacity').notNull().default(1),
    /** Distance between offered start times. */
    slotStepMinutes: integer('slot_step_minutes').notNull().default(30),
    /** No booking closer to its start than this. */
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(60),
    /** How many days ahead slots are offered. */
    horizonDays: integer('horizon_days').notNull().default(30),
    /** How long a hold lasts while the customer confirms. */
    holdMinutes: integer('hold_minutes').notNull().default(10),
    /** Reminders in the chat, minutes before the start. */
    reminderOffsetsMinutes: jsonb('reminder_offsets_minutes').$type<number[]>().notNull().default([1440, 120]),
    /** The customer may cancel or reschedule by themselves until this many minutes before the start. */
    cancelDeadlineMinutes: integer('cancel_deadline_minutes').notNull().default(120),
    /**
     * Prepayment taken when booking: `card` (the payment provider, in the service's currency) or
     * `stars` (Telegram Stars, `prepayment_minor` Stars); null = none, the customer pays on the spot.
     */
    prepaymentMethod: text('prepayment_method').$type<PrepaymentMethod>(),
    prepaymentMinor: integer('prepayment_minor').notNull().default(0),
    /** The cancellation policy: a customer who cancels at least this many minutes before the start gets the prepayment back. */
    refundDeadlineMinutes: integer('refund_deadline_minutes').notNull().default(1440),
    /** How long a freed slot offered to the first in the waitlist is held for them. */
    waitlistOfferMinutes: integer('waitlist_offer_minutes').notNull().default(15),
    isActive: boolean('is_active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('booking_services_slug_idx').on(t.slug),
    check('booking_services_duration_check', sql`${t.durationMinutes} between 5 and 1440`),
    check('booking_services_price_check', sql`${t.priceMinor} >= 0`),
    check('booking_services_capacity_check', sql`${t.capacity} between 1 and 500`),
    check('booking_services_buffers_check', sql`${t.bufferBeforeMinutes} between 0 and 720 and ${t.bufferAfterMinutes} between 0 and 720`),
    check('booking_services_step_check', sql`${t.slotStepMinutes} between 5 and 1440`),
    check('booking_services_hold_check', sql`${t.holdMinutes} between 1 and 120`),
    check('booking_services_prepayment_check', sql`(${t.prepaymentMethod} is null and ${t.prepaymentMinor} = 0) or (${t.prepaymentMethod} in ('card', 'stars') and ${t.prepaymentMinor} > 0)`),
    check('booking_services_offer_check', sql`${t.waitlistOfferMinutes} between 1 and 240`),
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
    /** Weekly opening hours, ISO weekday (1 = Monday) -> ["10:00", "20:00"]; a missing weekday is a day off. */
    workingHours: jsonb('working_hours').$type<WeeklyHours>().notNull(),
    /** Weekly breaks, ISO weekday -> [["13:00", "14:00"]]. */
    breaks: jsonb('breaks').$type<WeeklyBreaks>().notNull().default({}),
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

/** A dated exception to a resource's week: a holiday or sick day (`hours` empty) or other hours that day. */
export const bookingResourceExceptions = pgTable(
  'booking_resource_exceptions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => bookingResources.id, { onDelete: 'cascade' }),
    /** The local date in the resource's zone. */
    day: date('day', { mode: 'string' }).notNull(),
    hours: jsonb('hours').$type<DayHours>().notNull().default([]),
    note: text('note'),
    ...timestamps,
  },
  (t) => [uniqueIndex('booking_resource_exceptions_day_idx').on(t.resourceId, t.day)],
)

/**
 * One customer's seat at one time on one resource. `occupied_from`/`occupied_to` (the booking with
 * its buffers) are what the EXCLUDE constraints of the custom migration compare: overlapping
 * active bookings of one resource must be the same session (service and start) on different
 * seats, so no concurrency can put two customers on one seat or one resource in two sessions.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'restrict' }),
    serviceId: integer('service_id')
      .notNull()
      .references(() => bookingServices.id, { onDelete: 'restrict' }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => bookingResources.id, { onDelete: 'restrict' }),
    seat: integer('seat').notNull().default(1),
    status: text('status').$type<BookingStatus>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    occupiedFrom: timestamp('occupied_from', { withTimezone: true, mode: 'date' }).notNull(),
    occupiedTo: timestamp('occupied_to', { withTimezone: true, mode: 'date' }).notNull(),
    /** The zone of the schedule the slot came from (times are stored in UTC). */
    timezone: text('timezone').notNull(),
    priceMinor: integer('price_minor').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** A hold ends then unless confirmed; the expiry job (and any booking that meets it) releases it. */
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true, mode: 'date' }),
    /** The customer answered a reminder with "I'll come". */
    customerConfirmedAt: timestamp('customer_confirmed_at', { withTimezone: true, mode: 'date' }),
    /** Reminder jobs planned for the current start time (dropped when it changes). */
    reminderJobIds: jsonb('reminder_job_ids').$type<string[]>().notNull().default([]),
    /** Offsets (minutes before the start) already sent for the current start time. */
    remindersSent: jsonb('reminders_sent').$type<number[]>().notNull().default([]),
    idempotencyKey: text('idempotency_key').notNull(),
    /** The prepayment due for this booking (copied from the service when held; 0 = none) and its currency (`XTR` for Stars). */
    prepaymentMinor: integer('prepayment_minor').notNull().default(0),
    prepaymentCurrency: char('prepayment_currency', { length: 3 }),
    /** The hold was extended once when the customer opened the payment (so the hold lasts while they pay). */
    paymentStartedAt: timestamp('payment_started_at', { withTimezone: true, mode: 'date' }),
    /** The prepayment arrived (successful_payment) and confirmed this booking. */
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('bookings_idempotency_idx').on(t.userId, t.idempotencyKey),
    index('bookings_user_idx').on(t.userId, t.startsAt),
    index('bookings_resource_time_idx').on(t.resourceId, t.startsAt),
    index('bookings_hold_idx').on(t.holdExpiresAt).where(sql`${t.status} = 'held'`),
    check('bookings_status_check', sql`${t.status} in ('held', 'confirmed', 'cancelled', 'expired', 'done', 'no_show')`),
    check('bookings_time_check', sql`${t.startsAt} < ${t.endsAt} and ${t.occupiedFrom} <= ${t.startsAt} and ${t.occupiedTo} >= ${t.endsAt}`),
    check('bookings_seat_check', sql`${t.seat} >= 1`),
    check('bookings_hold_check', sql`${t.status} <> 'held' or ${t.holdExpiresAt} is not null`),
  ],
)

/** Every change of a booking with who made it: the customer's history and the operator's timeline. */
export const bookingHistory = pgTable(
  'booking_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    bookingId: integer('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromStatus: text('from_status').$type<BookingStatus>(),
    toStatus: text('to_status').$type<BookingStatus>().notNull(),
    actorKind: text('actor_kind').$type<'customer' | 'staff' | 'system'>().notNull(),
    actorId: bigint('actor_id', { mode: 'number' }).references(() => users.telegramId, { onDelete: 'set null' }),
    details: jsonb('details').$type<Record<string, unknown>>(),
    ...timestamps,
  },
  (t) => [index('booking_history_booking_idx').on(t.bookingId, t.createdAt)],
)

/**
 * A customer waiting for a full slot (`starts_at`) or for any time on a local day (`day`, in the
 * business's zone) of a service, with one specialist or any. When a seat frees, the first waiting
 * entry in line (lowest id) gets it as a hold (`booking_id`) for the service's offer time; taking
 * it confirms that booking, letting it run out offers it to the next.
 */
export const bookingWaitlist = pgTable(
  'booking_waitlist',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.telegramId, { onDelete: 'cascade' }),
    serviceId: integer('service_id')
      .notNull()
      .references(() => bookingServices.id, { onDelete: 'cascade' }),
    resourceId: integer('resource_id').references(() => bookingResources.id, { onDelete: 'cascade' }),
    /** The local date (business zone) the customer waits on. */
    day: date('day', { mode: 'string' }).notNull(),
    /** One start time; null = any time that day. */
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }),
    status: text('status').$type<WaitlistStatus>().notNull().default('waiting'),
    /** The hold made for this customer when a seat freed. */
    bookingId: integer('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    offeredAt: timestamp('offered_at', { withTimezone: true, mode: 'date' }),
    ...timestamps,
  },
  (t) => [
    index('booking_waitlist_line_idx').on(t.serviceId, t.day, t.id).where(sql`${t.status} = 'waiting'`),
    index('booking_waitlist_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('booking_waitlist_booking_idx').on(t.bookingId),
    uniqueIndex('booking_waitlist_active_idx')
      .on(t.userId, t.serviceId, sql`coalesce(${t.resourceId}, 0)`, t.day, sql`coalesce(${t.startsAt}, 'epoch'::timestamptz)`)
      .where(sql`${t.status} in ('waiting', 'offered')`),
    check('booking_waitlist_status_check', sql`${t.status} in ('waiting', 'offered', 'booked', 'missed', 'declined', 'left')`),
  ],
)
