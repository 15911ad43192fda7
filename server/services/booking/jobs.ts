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

export const BOOKING_NOTICES = ['confirmed', 'cancelled', 'rescheduled', 'expired', 'no_show', 'offered'] as const
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

/**
 * A seat freed (a cancel, a hold running out, a move): offers it to the first customer waiting for
 * that slot or day. Queued in the transaction that freed it; the worker makes the offer in one
 * transaction with the waitlist entry (locked), so a retry or a second replica offers nothing twice.
 */
export const waitlistOfferJob = defineJob({
  name: 'booking.waitlist-offer',
  schema: z.object({ serviceId: z.number().int(), resourceId: z.number().int(), startsAt: z.iso.datetime() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/**
 * A booking's prepayment goes back (a cancellation within the policy, by staff, or a payment that
 * arrived for a hold no longer there): through the payments module's refund path, retried while
 * Telegram fails; a card payment is handed to the operators (only the provider can refund it).
 */
export const bookingRefundJob = defineJob({
  name: 'booking.refund',
  schema: z.object({ paymentId: z.number().int(), bookingId: z.number().int().optional(), reason: z.string().max(200) }),
  queue: { retryLimit: 10, retryDelay: 30, retryBackoff: true },
})
