import { z } from 'zod'
import { rowId, rowIdParam, text } from './common'
import { localDate } from './booking'

/** POST /api/booking/bookings/{id}/calendar-link?lang=: the language of the event's texts. */
export const CalendarLinkQuerySchema = z.object({ lang: z.enum(['ru', 'en']).default('ru') })

/** GET /api/booking/calendar/{token}: a signed, short-lived link to one booking's .ics. */
export const CalendarTokenParamsSchema = z.object({ token: text().min(1).max(400).regex(/^[A-Za-z0-9_.-]+$/, 'must be a calendar link token') })

/**
 * GET /api/booking/feeds/{token}: a staff calendar feed. Any string is accepted here (up to a
 * bound): an unknown, malformed or revoked token all answer the same 404.
 */
export const FeedTokenParamsSchema = z.object({ token: text().min(1).max(200) })

/** POST /api/admin/booking/feeds: a new secret feed for a resource (revoking its current one). */
export const CreateFeedSchema = z.object({
  resourceId: rowId(),
  /** Customers' phones in the events: only for someone allowed to see them. */
  includePhone: z.boolean().default(false),
  lang: z.enum(['ru', 'en']).default('ru'),
})

export const FeedParamsSchema = z.object({ id: rowIdParam() })

/** GET /api/admin/booking/report(.csv): local days of the business, at most a year, one resource or all. */
export const BookingReportQuerySchema = z
  .object({
    from: localDate().optional(),
    to: localDate().optional(),
    resource: rowIdParam().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < 366, { message: 'at most 366 days', path: ['to'] })
export type BookingReportQuery = z.output<typeof BookingReportQuerySchema>
