import { and, desc, eq, lt, sql } from 'drizzle-orm'
import { bookingServices, bookingWaitlist, bookings } from '../../db/schema/booking'
import type { HistoryItem } from '#shared/schemas/account'
import type { AccountSection } from '../account/registry'
import { containsPattern } from '../../db/like'

/**
 * Booking's part of the personal account: the customer's bookings in the history and the export,
 * and on deletion the bookings themselves: a future slot is freed at once, and its reminder jobs
 * find no booking and send nothing. Prepayments stay with the payments module (anonymised there;
 * their `booking_id` becomes null).
 */
export const bookingAccountSection: AccountSection = {
  key: 'bookings',
  async history(db, userId, { before, limit, q }) {
    const filters = [eq(bookings.userId, userId)]
    if (before) filters.push(lt(bookings.createdAt, before))
    if (q) filters.push(sql`(${bookingServices.name}->>'ru' ilike ${containsPattern(q)} or ${bookingServices.name}->>'en' ilike ${containsPattern(q)})`)
    const rows = await db
      .select({ booking: bookings, name: bookingServices.name })
      .from(bookings)
      .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
      .where(and(...filters))
      .orderBy(desc(bookings.createdAt), desc(bookings.id))
      .limit(limit)
    return rows.map(
      ({ booking: b, name }): HistoryItem => ({
        module: 'bookings',
        id: String(b.id),
        title: name.ru || name.en,
        status: b.status,
        nextStep: b.status === 'held' ? 'confirm' : null,
        amountMinor: b.priceMinor,
        currency: b.currency,
        link: `/app/bookings/${b.id}`,
        at: b.createdAt.toISOString(),
      }),
    )
  },
  async exportData(db, userId) {
    const rows = await db
      .select({ booking: bookings, service: bookingServices.slug })
      .from(bookings)
      .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
      .where(eq(bookings.userId, userId))
      .orderBy(bookings.id)
    return rows.map(({ booking: b, service }) => ({
      id: b.id,
      service,
      status: b.status,
      startsAt: b.startsAt.toISOString(),
      endsAt: b.endsAt.toISOString(),
      timezone: b.timezone,
      priceMinor: b.priceMinor,
      currency: b.currency,
      createdAt: b.createdAt.toISOString(),
    }))
  },
  async erase(w, userId) {
    const removed = await w.db.delete(bookings).where(eq(bookings.userId, userId)).returning({ id: bookings.id })
    return { bookingsDeleted: removed.length }
  },
}

/** The waitlist's part: the entries in the export; deleted with the account (an offer's hold goes with the bookings). */
export const bookingWaitlistAccountSection: AccountSection = {
  key: 'booking_waitlist',
  async exportData(db, userId) {
    const rows = await db
      .select({ entry: bookingWaitlist, service: bookingServices.slug })
      .from(bookingWaitlist)
      .innerJoin(bookingServices, eq(bookingServices.id, bookingWaitlist.serviceId))
      .where(eq(bookingWaitlist.userId, userId))
      .orderBy(bookingWaitlist.id)
    return rows.map(({ entry: e, service }) => ({ id: e.id, service, resourceId: e.resourceId, day: e.day, startsAt: e.startsAt?.toISOString() ?? null, status: e.status, bookingId: e.bookingId, createdAt: e.createdAt.toISOString() }))
  },
  async erase(w, userId) {
    const removed = await w.db.delete(bookingWaitlist).where(eq(bookingWaitlist.userId, userId)).returning({ id: bookingWaitlist.id })
    return { waitlistDeleted: removed.length }
  },
}
