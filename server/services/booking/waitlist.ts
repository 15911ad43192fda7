/**
 * The waitlist: a customer asks to be told when a full slot (or any time on a full day) frees up.
 * When a seat frees, the first waiting entry in line gets it as a hold for the service's offer
 * time, with a message in the chat; taking it confirms the booking (or, for a prepaid service,
 * paying does), letting it run out or declining passes it to the next in line.
 */
import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { bookingResources, bookingServices, bookingWaitlist, bookings } from '../../db/schema/booking'
import type { JoinWaitlistInput } from '#shared/schemas/booking'
import { DomainError } from '../../utils/errors'
import type { ServiceContext } from '../context'
import { businessTimezone } from '../settings'
import { bookingNoticeJob, bookingNoticeOptions } from './jobs'
import { claimSeat, findFreeSlots, getBookingService, insertHold, OCCUPYING, offeredSlot } from './index'
import { waitingFor } from './waitlist-queue'
import { addDays, localDay } from './time'

/** Most entries one customer may have waiting at once. */
export const MAX_WAITLIST_PER_CUSTOMER = 10

/**
 * Puts the customer in line for a full slot (`startsAt`) or any time of a day (`day`), with one
 * specialist or any. A slot (or a day) with a free seat now is refused with 409 `slot_available`:
 * book it instead. Asking twice answers the same entry.
 */
export async function joinWaitlist(ctx: ServiceContext, input: JoinWaitlistInput, now = new Date()) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only a customer joins a waitlist for themselves')
  const userId = ctx.actor.userId
  const { service, resources } = await getBookingService(ctx.db, { id: input.serviceId })
  if (input.resourceId !== undefined && !resources.some((r) => r.id === input.resourceId)) throw new DomainError('not_found', 'This specialist does not perform this service')
  const timezone = await businessTimezone(ctx.db)
  const day = input.startsAt ? localDay(input.startsAt, timezone) : input.day!
  const today = localDay(now, timezone)
  if (day < today || day > addDays(today, service.horizonDays) || (input.startsAt && input.startsAt.getTime() <= now.getTime())) {
    throw new DomainError('validation_failed', 'This time is outside the days bookings are taken for', 400, [{ path: input.startsAt ? 'startsAt' : 'day', message: 'outside the booking horizon' }])
  }
  const { days } = await findFreeSlots(ctx.db, { service: service.id, resource: input.resourceId, from: day, days: 1 }, now)
  const free = days[0]?.slots ?? []
  if (input.startsAt ? free.some((s) => s.startsAt.getTime() === input.startsAt!.getTime()) : free.length > 0) {
    throw new DomainError('slot_available', 'There is a free seat right now: book it instead', 409)
  }
  const same = and(
    eq(bookingWaitlist.userId, userId),
    eq(bookingWaitlist.serviceId, service.id),
    input.resourceId === undefined ? sql`${bookingWaitlist.resourceId} is null` : eq(bookingWaitlist.resourceId, input.resourceId),
    eq(bookingWaitlist.day, day),
    input.startsAt ? eq(bookingWaitlist.startsAt, input.startsAt) : sql`${bookingWaitlist.startsAt} is null`,
    inArray(bookingWaitlist.status, ['waiting', 'offered']),
  )
  const [existing] = await ctx.db.select().from(bookingWaitlist).where(same)
  if (existing) return { entry: existing, created: false }
  const [{ active } = { active: 0 }] = await ctx.db
    .select({ active: sql<number>`count(*)::int` })
    .from(bookingWaitlist)
    .where(and(eq(bookingWaitlist.userId, userId), inArray(bookingWaitlist.status, ['waiting', 'offered'])))
  if (active >= MAX_WAITLIST_PER_CUSTOMER) throw new DomainError('too_many_waitlist', 'You are already waiting for enough times; leave one first', 409)
  try {
    const [entry] = await ctx.db
      .insert(bookingWaitlist)
      .values({ userId, serviceId: service.id, resourceId: input.resourceId ?? null, day, startsAt: input.startsAt ?? null })
      .returning()
    return { entry: entry!, created: true }
  } catch (error) {
    if (!isUniqueViolation(error, 'booking_waitlist_active_idx')) throw error
    const [again] = await ctx.db.select().from(bookingWaitlist).where(same)
    if (!again) throw error
    return { entry: again, created: false }
  }
}

/** The customer leaves the line (an offer held for them is let go by cancelling its hold, not here). */
export async function leaveWaitlist(ctx: ServiceContext, entryId: number) {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only the customer leaves their waitlist')
  const [row] = await ctx.db
    .update(bookingWaitlist)
    .set({ status: 'left' })
    .where(and(eq(bookingWaitlist.id, entryId), eq(bookingWaitlist.userId, ctx.actor.userId), eq(bookingWaitlist.status, 'waiting')))
    .returning()
  if (row) return row
  const [current] = await ctx.db.select().from(bookingWaitlist).where(and(eq(bookingWaitlist.id, entryId), eq(bookingWaitlist.userId, ctx.actor.userId)))
  if (!current) throw new DomainError('not_found', 'No such waitlist entry')
  if (current.status === 'left') return current
  throw new DomainError('invalid_transition', `A waitlist entry that is ${current.status} cannot be left`, 409, { from: current.status, to: 'left' })
}

/** The customer's waitlist entries still in play (waiting or offered) and the last settled ones, newest first. */
export async function listWaitlist(db: DbOrTx, userId: number, limit = 50) {
  const rows = await db
    .select({ entry: bookingWaitlist, service: bookingServices, resource: bookingResources })
    .from(bookingWaitlist)
    .innerJoin(bookingServices, eq(bookingServices.id, bookingWaitlist.serviceId))
    .leftJoin(bookingResources, eq(bookingResources.id, bookingWaitlist.resourceId))
    .where(and(eq(bookingWaitlist.userId, userId), notInArray(bookingWaitlist.status, ['left'])))
    .orderBy(desc(bookingWaitlist.id))
    .limit(limit)
  return rows.map((r) => ({ ...r.entry, service: r.service, resource: r.resource }))
}

/**
 * A seat of `freed` is free: the first customer in line for it (the slot, or any time that day;
 * this specialist or any) gets it as a hold for the service's offer time, told in the chat. The
 * entry is locked (`for update`) and turned `offered` in the transaction that inserts the hold, so
 * concurrent or repeated jobs never offer one entry twice or out of turn, and a second job for the
 * same freed seat finds it taken and offers nothing. Returns the hold, or null.
 */
export async function offerFreedSeat(ctx: ServiceContext, freed: { serviceId: number; resourceId: number; startsAt: Date }, now = new Date()) {
  let target
  try {
    target = await getBookingService(ctx.db, { id: freed.serviceId })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return null
    throw error
  }
  const { service, resources } = target
  if (!resources.some((r) => r.id === freed.resourceId)) return null
  const timezone = await businessTimezone(ctx.db)
  const day = localDay(freed.startsAt, timezone)
  let slot
  try {
    slot = await offeredSlot(ctx.db, service, resources, freed.startsAt, freed.resourceId, now)
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'slot_taken' || error.code === 'not_found')) return null
    throw error
  }
  try {
    return await claimSeat(ctx, slot, service, async (w, resourceId, seat) => {
      const [entry] = await w.db
        .select()
        .from(bookingWaitlist)
        .where(
          and(
            waitingFor({ ...freed, resourceId }, day),
            // Someone who already has a seat at this time is not offered another.
            sql`not exists (select 1 from ${bookings} b where b.user_id = ${bookingWaitlist.userId} and b.service_id = ${service.id} and b.starts_at = ${freed.startsAt.toISOString()}::timestamptz and b.status in (${sql.join(
              OCCUPYING.map((s) => sql`${s}`),
              sql`, `,
            )}))`,
          ),
        )
        .orderBy(asc(bookingWaitlist.id))
        .limit(1)
      // Not `skip locked`: a second job would pass over the first in line while it is being
      // offered, take the next one and, inserting first, win the seat out of order. Waiting
      // instead, it sees the first turned `offered` and finds the seat taken.
        .for('update')
      if (!entry) return null
      const hold = await insertHold(w, { userId: entry.userId, service, resources, slot, resourceId, seat, idempotencyKey: `waitlist-${entry.id}`, holdMinutes: service.waitlistOfferMinutes, details: { waitlistEntryId: entry.id } })
      await w.db.update(bookingWaitlist).set({ status: 'offered', bookingId: hold.id, offeredAt: sql`now()` }).where(eq(bookingWaitlist.id, entry.id))
      await w.enqueue(bookingNoticeJob, { bookingId: hold.id, notice: 'offered', startsAt: hold.startsAt.toISOString() }, bookingNoticeOptions(hold.id, 'offered', hold.startsAt))
      return hold
    })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'slot_taken') return null
    throw error
  }
}
