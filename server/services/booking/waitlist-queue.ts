/**
 * The waitlist's side of a booking change, inside the transaction that makes it (kept apart from
 * ./waitlist.ts so the booking service can call it without an import cycle).
 */
import { and, eq, isNull, or } from 'drizzle-orm'
import { bookingWaitlist, type bookings } from '../../db/schema/booking'
import type { WaitlistStatus } from '#shared/schemas/booking'
import type { WriteContext } from '../context'
import { businessTimezone } from '../settings'
import { waitlistOfferJob } from './jobs'
import { localDay } from './time'

type Freed = Pick<typeof bookings.$inferSelect, 'serviceId' | 'resourceId' | 'startsAt'>

/** Entries waiting for a seat of this service at this start on this resource: the slot itself, or any time that day. */
export const waitingFor = (freed: Freed, day: string) =>
  and(
    eq(bookingWaitlist.serviceId, freed.serviceId),
    eq(bookingWaitlist.day, day),
    eq(bookingWaitlist.status, 'waiting'),
    or(isNull(bookingWaitlist.resourceId), eq(bookingWaitlist.resourceId, freed.resourceId)),
    or(isNull(bookingWaitlist.startsAt), eq(bookingWaitlist.startsAt, freed.startsAt)),
  )

/** A seat of `freed` is free again: when anyone waits for it, the offer job is queued in this same transaction. */
export async function queueWaitlistOffer(w: WriteContext, freed: Freed) {
  if (freed.startsAt.getTime() <= Date.now()) return
  const day = localDay(freed.startsAt, await businessTimezone(w.db))
  const [waiting] = await w.db.select({ id: bookingWaitlist.id }).from(bookingWaitlist).where(waitingFor(freed, day)).limit(1)
  if (!waiting) return
  await w.enqueue(waitlistOfferJob, { serviceId: freed.serviceId, resourceId: freed.resourceId, startsAt: freed.startsAt.toISOString() })
}

/** The waitlist entry whose offer was this hold (if any) is settled: booked, missed (ran out) or declined. */
export async function settleWaitlistEntry(w: WriteContext, bookingId: number, status: Extract<WaitlistStatus, 'booked' | 'missed' | 'declined'>) {
  await w.db
    .update(bookingWaitlist)
    .set({ status })
    .where(and(eq(bookingWaitlist.bookingId, bookingId), eq(bookingWaitlist.status, 'offered')))
}
