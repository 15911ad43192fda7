import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Expires holds nobody confirmed in time, freeing their slots. Runs every minute, and once more
 * right when each hold ends (queued with the hold).
 */
export const expireBookingHoldsJob = defineJob({
  name: 'booking.expire-holds',
  schema: z.object({ bookingId: z.number().int().optional() }),
  cron: '* * * * *',
  queue: { retryLimit: 5 },
})

/**
 * A reminder in the chat, planned for `offsetMinutes` before `startsAt`. The worker sends it only
 * if the booking is still confirmed at that very start: a reschedule or a cancel leaves a stale
 * job harmless even if cancelling it lost a race.
 */
export const bookingReminderJob = defineJob({
  name: 'booking.reminder',
  schema: z.object({ bookingId: z.number().int(), startsAt: z.iso.datetime(), offsetMinutes: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

export const BOOKING_NOTICES = ['confirmed', 'cancelled', 'rescheduled', 'expired', 'no_show'] as const
export type BookingNotice = (typeof BOOKING_NOTICES)[number]

/** Tells the customer about a change of their booking in the chat, in their language, with its buttons. */
export const bookingNoticeJob = defineJob({
  name: 'booking.notice',
  schema: z.object({ bookingId: z.number().int(), notice: z.enum(BOOKING_NOTICES), startsAt: z.iso.datetime() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
  work: { localConcurrency: 2 },
})

/** One notice per booking, change and start time: a retried request queues nothing twice. */
export const bookingNoticeOptions = (bookingId: number, notice: BookingNotice, startsAt: Date) => ({ singletonKey: `booking-${bookingId}-${notice}-${startsAt.getTime()}`, singletonSeconds: 7 * 24 * 3600 })
