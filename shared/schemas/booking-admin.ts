import { z } from 'zod'
import { isTimeZone, rowId, rowIdParam, telegramIdParam, text } from './common'
import { instant, localDate } from './booking'
import { withoutDefaults } from './catalog'

/**
 * What /admin sends to edit booking: services, resources (staff, rooms) with their weekly hours
 * and breaks, dated exceptions, and bookings made for a customer. Times of day are the resource's
 * wall clock ("09:30"), in its own zone.
 */

export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const

const hhmm = () => text().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time such as 09:30')
const toMinutes = (v: string) => Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5))
/** ["10:00", "19:00"]: from before to, the same day. */
export const IntervalSchema = z.tuple([hhmm(), hhmm()]).refine(([a, b]) => toMinutes(a) < toMinutes(b), 'must end after it starts')
const DayIntervalsSchema = z
  .array(IntervalSchema)
  .max(8)
  .refine((list) => {
    const sorted = list.map(([a, b]) => [toMinutes(a), toMinutes(b)] as const).sort((x, y) => x[0] - y[0])
    return sorted.every((x, i) => i === 0 || x[0] >= sorted[i - 1]![1])
  }, 'intervals must not overlap')

/** ISO weekday ("1" = Monday) -> hours; a missing weekday is a day off. */
export const WeeklyHoursSchema = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, IntervalSchema.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof IntervalSchema>>).strict()
/** ISO weekday -> breaks inside that day's hours. */
export const WeeklyBreaksSchema = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayIntervalsSchema.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof DayIntervalsSchema>>).strict()

const name = () => z.object({ ru: text().trim().min(1).max(200), en: text().trim().min(1).max(200) })
const slug = () => text().trim().min(1).max(100).regex(/^[a-z0-9-]+$/, 'latin letters, digits and dashes only')
const minutes = (max: number) => z.number().int().min(0).max(max)

export const SERVICE_LIMITS = { duration: [5, 1440], buffer: 720, capacity: 500, reminders: 5, reminderMax: 43_200, deadline: 43_200 } as const

/** POST /api/admin/booking/services */
export const BookingServiceInputSchema = z.object({
  slug: slug().optional(),
  name: name(),
  description: z.object({ ru: text().trim().max(2000), en: text().trim().max(2000) }).default({ ru: '', en: '' }),
  durationMinutes: z.number().int().min(5).max(1440),
  priceMinor: z.number().int().min(0).max(100_000_000),
  bufferBeforeMinutes: minutes(720).default(0),
  bufferAfterMinutes: minutes(720).default(0),
  capacity: z.number().int().min(1).max(500).default(1),
  slotStepMinutes: z.number().int().min(5).max(1440).default(30),
  minNoticeMinutes: minutes(43_200).default(60),
  horizonDays: z.number().int().min(1).max(365).default(30),
  holdMinutes: z.number().int().min(1).max(120).default(10),
  /** Minutes before the start; each one reminder in the chat. */
  reminderOffsetsMinutes: z
    .array(z.number().int().min(1).max(43_200))
    .max(5)
    .refine((a) => new Set(a).size === a.length, 'each reminder once')
    .default([1440, 120]),
  cancelDeadlineMinutes: minutes(43_200).default(120),
  /**
   * Optional prepayment that confirms a booking: `card` (the service's currency, minor units) or
   * `stars` (Telegram Stars); null = paid on the spot. A method needs an amount above 0 and no method
   * needs 0 (checked against the stored service too: `validation_failed`).
   */
  prepaymentMethod: z.enum(['card', 'stars']).nullable().default(null),
  prepaymentMinor: z.number().int().min(0).max(100_000_000).default(0),
  /** The cancellation policy: cancelled at least this long before the start, the prepayment comes back. */
  refundDeadlineMinutes: minutes(43_200).default(1440),
  /** How long a seat offered from the waitlist is held for the person it is offered to. */
  waitlistOfferMinutes: z.number().int().min(1).max(240).default(15),
  /** Hidden services are not offered to customers; their bookings stay. */
  isActive: z.boolean().default(true),
  /** Who performs it (resources' ids). */
  resourceIds: z.array(rowId()).max(100).default([]),
})
export type BookingServiceInput = z.output<typeof BookingServiceInputSchema>

/** PATCH /api/admin/booking/services/{id}: any of the fields. */
export const BookingServicePatchSchema = z
  .object(withoutDefaults(BookingServiceInputSchema.shape))
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change')
export type BookingServicePatch = z.output<typeof BookingServicePatchSchema>

/**
 * What happens to confirmed bookings a schedule change leaves outside the hours: `check` (the
 * default) refuses with 409 `schedule_conflict` listing them, `keep` saves and keeps them,
 * `cancel` saves and cancels them (each customer told in the chat).
 */
export const ON_CONFLICT = ['check', 'keep', 'cancel'] as const
const onConflict = () => z.enum(ON_CONFLICT).default('check')

const timezone = () =>
  text()
    .trim()
    .min(1)
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow')

/** POST /api/admin/booking/resources: a staff member, a room or a table with its week. */
export const BookingResourceInputSchema = z.object({
  slug: slug().optional(),
  name: name(),
  timezone: timezone().default('Europe/Moscow'),
  workingHours: WeeklyHoursSchema,
  breaks: WeeklyBreaksSchema.default({}),
  isActive: z.boolean().default(true),
  /** Services it performs. */
  serviceIds: z.array(rowId()).max(100).default([]),
})
export type BookingResourceInput = z.output<typeof BookingResourceInputSchema>

/** PATCH /api/admin/booking/resources/{id} */
export const BookingResourcePatchSchema = z
  .object({ ...withoutDefaults(BookingResourceInputSchema.shape), onConflict: onConflict() })
  .partial()
  .refine((p) => Object.keys(p).some((k) => k !== 'onConflict'), 'nothing to change')
export type BookingResourcePatch = z.output<typeof BookingResourcePatchSchema>

export const ResourceExceptionParamsSchema = z.object({ id: rowIdParam(), day: localDate() })

/** POST /api/admin/booking/resources/{id}/exceptions/{day}: that day's hours (none: a day off), in the resource's zone. */
export const ResourceExceptionInputSchema = z.object({
  hours: DayIntervalsSchema,
  note: text().trim().max(300).optional(),
  onConflict: onConflict(),
})
export type ResourceExceptionInput = z.output<typeof ResourceExceptionInputSchema>

/** DELETE /api/admin/booking/resources/{id}/exceptions/{day}?onConflict= */
export const ResourceExceptionDeleteQuerySchema = z.object({ onConflict: onConflict() })

/** GET /api/admin/booking/resources/{id}/exceptions?from= */
export const ResourceExceptionsQuerySchema = z.object({ from: localDate().optional() })

/** POST /api/admin/booking/bookings: a confirmed booking made by staff for a customer (phone, desk). */
export const StaffBookingInputSchema = z.object({
  customerId: telegramIdParam(),
  serviceId: rowId(),
  resourceId: rowId(),
  startsAt: instant(),
})
export type StaffBookingInput = z.output<typeof StaffBookingInputSchema>
