import { z } from 'zod'
import { DATE_MAX, DATE_MIN, rowId, rowIdParam, text } from './common'

/** Every status a booking can have. Held and confirmed (and the past done / no_show) occupy their time; cancelled and expired free it. */
export const BOOKING_STATUSES = ['held', 'confirmed', 'cancelled', 'expired', 'done', 'no_show'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

/** How a service's prepayment is taken: the card payment provider or Telegram Stars. */
export const PREPAYMENT_METHODS = ['card', 'stars'] as const

/**
 * A waitlist entry: `waiting` in line; `offered` a freed slot is held for them; `booked` they took
 * it; `missed` the offer ran out; `declined` they let it go; `left` they left the line.
 */
export const WAITLIST_STATUSES = ['waiting', 'offered', 'booked', 'missed', 'declined', 'left'] as const
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number]

/** What staff may set by hand. */
export const STAFF_BOOKING_STATUSES = ['done', 'no_show', 'cancelled'] as const

const slug = () => text().trim().min(1).max(100).regex(/^[a-z0-9-]+$/, 'must be a slug such as barista-basics')

/** A calendar date (`2026-03-29`) in the business's time zone. */
export const localDate = () =>
  text()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-03-29')
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d >= DATE_MIN && d <= DATE_MAX
    }, 'must be a real date between 1970 and 9999')

/** An instant with its offset (`2026-03-29T10:00:00Z` or `...+03:00`), as the slot list gives it. */
export const instant = () =>
  z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v))
    .refine((d) => d >= DATE_MIN && d <= DATE_MAX, 'must be between 1970 and 9999')

export const ServiceSlugParamsSchema = z.object({ slug: slug() })

/** GET /api/booking/slots: free start times of a service from a local date, for one specialist or any. */
export const SlotsQuerySchema = z.object({
  service: slug(),
  resource: rowIdParam().optional(),
  from: localDate().optional(),
  days: z.coerce.number().int().min(1).max(31).default(1),
})
export type SlotsQuery = z.output<typeof SlotsQuerySchema>

/** POST /api/booking/bookings: a hold on a slot. No price, no customer: the server knows them. */
export const HoldBookingSchema = z.object({
  serviceId: rowId(),
  /** A chosen specialist; omitted means "any". */
  resourceId: rowId().optional(),
  startsAt: instant(),
})
export type HoldBookingInput = z.output<typeof HoldBookingSchema>

export const BookingParamsSchema = z.object({ id: rowIdParam() })

/** Move a booking to another free slot (the customer, or staff on their behalf). */
export const RescheduleBookingSchema = z.object({
  startsAt: instant(),
  resourceId: rowId().optional(),
})
export type RescheduleBookingInput = z.output<typeof RescheduleBookingSchema>

/** GET /api/admin/booking/bookings: one local day's bookings, for one resource or all. */
export const AdminBookingsQuerySchema = z.object({
  date: localDate(),
  resource: rowIdParam().optional(),
  days: z.coerce.number().int().min(1).max(7).default(1),
})

export const AdminBookingStatusSchema = z.object({
  status: z.enum(STAFF_BOOKING_STATUSES),
  note: text().trim().max(500).optional(),
})

/** POST /api/booking/waitlist: tell me when this slot (or any time that day) frees up. */
export const JoinWaitlistSchema = z
  .object({
    serviceId: rowId(),
    resourceId: rowId().optional(),
    /** A full slot's start; or `day` alone for any time that day. */
    startsAt: instant().optional(),
    day: localDate().optional(),
  })
  .refine((v) => v.startsAt !== undefined || v.day !== undefined, { message: 'give startsAt or day', path: ['day'] })
export type JoinWaitlistInput = z.output<typeof JoinWaitlistSchema>

/** A waitlist entry by id (leave). */
export const WaitlistParamsSchema = z.object({ id: rowIdParam() })
