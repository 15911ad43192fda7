import { and, asc, desc, eq, gt, gte, inArray, lt, lte, notInArray, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isDeadlock, isExclusionViolation, isUniqueViolation } from '../../db/results'
import { bookingHistory, bookingResourceExceptions, bookingResourceServices, bookingResources, bookingServices, bookings, type BookingStatus } from '../../db/schema/booking'
import { refundableBookingPayments } from '../payments'
import type { HoldBookingInput, RescheduleBookingInput, SlotsQuery } from '#shared/schemas/booking'
import { DomainError } from '../../utils/errors'
import { historyActorKind, write, type ServiceContext, type WriteContext } from '../context'
import { emitIntegrationEvent } from '../integrations/outbox'
import { bookingEvent } from './events'
import { businessTimezone } from '../settings'
import { bookingNoticeJob, bookingNoticeOptions, bookingRefundJob, bookingReminderJob, expireBookingHoldsJob, type BookingNotice } from './jobs'
import { settleWaitlistEntry, queueWaitlistOffer } from './waitlist-queue'
import { computeSlots, occupancy, type DaySlots, type Slot } from './slots'
import { addDays, localDay, zonedInstant } from './time'

export type BookingRow = typeof bookings.$inferSelect
export type BookingServiceRow = typeof bookingServices.$inferSelect
export type BookingResourceRow = typeof bookingResources.$inferSelect

/** Statuses whose time is taken (the EXCLUDE constraints count exactly these). */
export const OCCUPYING: readonly BookingStatus[] = ['held', 'confirmed', 'done', 'no_show']
const FREEING: BookingStatus[] = ['cancelled', 'expired']
/** Most unconfirmed holds one customer may keep at once (nobody can hoard a day). */
export const MAX_HOLDS_PER_CUSTOMER = 3
const DAY = 24 * 3600_000
/** Namespace of the booking resources' advisory locks ("tmb"), apart from the leader locks' "tma" (server/db/leader.ts). */
const RESOURCE_LOCK = 0x746d62

const customerId = (ctx: ServiceContext) => {
  if (ctx.actor.kind !== 'customer') throw new DomainError('forbidden', 'Only a customer books for themselves')
  return ctx.actor.userId
}

/** Active services, for the Mini App's list and the public pages. */
export async function listBookingServices(db: DbOrTx) {
  return db.select().from(bookingServices).where(eq(bookingServices.isActive, true)).orderBy(asc(bookingServices.id))
}

/** A service by slug or id with the active resources (specialists, rooms) that perform it. */
export async function getBookingService(db: DbOrTx, by: { slug: string } | { id: number }) {
  const [service] = await db
    .select()
    .from(bookingServices)
    .where('slug' in by ? eq(bookingServices.slug, by.slug) : eq(bookingServices.id, by.id))
  if (!service || !service.isActive) throw new DomainError('not_found', 'No such service')
  const resources = await db
    .select({ resource: bookingResources })
    .from(bookingResourceServices)
    .innerJoin(bookingResources, eq(bookingResources.id, bookingResourceServices.resourceId))
    .where(and(eq(bookingResourceServices.serviceId, service.id), eq(bookingResources.isActive, true)))
    .orderBy(asc(bookingResources.id))
  return { service, resources: resources.map((r) => r.resource) }
}

/** Every active resource, for /admin's calendar filter. */
export async function listBookingResources(db: DbOrTx) {
  return db.select().from(bookingResources).where(eq(bookingResources.isActive, true)).orderBy(asc(bookingResources.id))
}

/**
 * Free slots of a service from a local date (the business's zone) for `days` days, for one
 * resource or any. Bookings, holds that have not expired, exceptions, breaks, buffers and
 * capacity are all applied; what is returned can be booked now.
 */
export async function findFreeSlots(db: DbOrTx, query: Pick<SlotsQuery, 'resource' | 'days'> & { service: string | number; from?: string }, now = new Date()) {
  const { service, resources: all } = await getBookingService(db, typeof query.service === 'number' ? { id: query.service } : { slug: query.service })
  const timezone = await businessTimezone(db)
  const resources = query.resource === undefined ? all : all.filter((r) => r.id === query.resource)
  if (query.resource !== undefined && resources.length === 0) throw new DomainError('not_found', 'This specialist does not perform this service')
  const from = query.from ?? localDay(now, timezone)
  const days = await slotsFor(db, service, resources, from, query.days, now, timezone)
  return { service, resources: all, timezone, days }
}

async function slotsFor(db: DbOrTx, service: BookingServiceRow, resources: readonly BookingResourceRow[], from: string, days: number, now: Date, timezone: string, moving?: number): Promise<DaySlots[]> {
  if (!resources.length) return computeSlots({ service, resources, exceptions: new Map(), bookings: [], from, days, now, timezone })
  const ids = resources.map((r) => r.id)
  // Two days of margin either side cover any zone difference and the longest buffers.
  const windowFrom = new Date(`${addDays(from, -2)}T00:00:00Z`)
  const windowTo = new Date(`${addDays(from, days + 2)}T00:00:00Z`)
  const [taken, exceptionRows] = await Promise.all([
    db
      .select({ resourceId: bookings.resourceId, serviceId: bookings.serviceId, startsAt: bookings.startsAt, occupiedFrom: bookings.occupiedFrom, occupiedTo: bookings.occupiedTo })
      .from(bookings)
      .where(
        and(
          inArray(bookings.resourceId, ids),
          inArray(bookings.status, [...OCCUPYING]),
          lt(bookings.occupiedFrom, windowTo),
          gt(bookings.occupiedTo, windowFrom),
          // A hold past its time is free already, even before the expiry job has run.
          sql`(${bookings.status} <> 'held' or ${bookings.holdExpiresAt} > ${now.toISOString()}::timestamptz)`,
          // A booking being moved does not stand in its own way.
          moving === undefined ? undefined : sql`${bookings.id} <> ${moving}`,
        ),
      ),
    db
      .select()
      .from(bookingResourceExceptions)
      .where(and(inArray(bookingResourceExceptions.resourceId, ids), gte(bookingResourceExceptions.day, addDays(from, -1)), lte(bookingResourceExceptions.day, addDays(from, days)))),
  ])
  const exceptions = new Map(exceptionRows.map((e) => [`${e.resourceId}:${e.day}`, e.hours]))
  return computeSlots({ service, resources, exceptions, bookings: taken, from, days, now, timezone })
}

/** Up to `limit` free slots from the day of `near` on (that day and the next week): offered when a slot was just taken. */
export async function alternativeSlots(db: DbOrTx, serviceId: number, near: Date, resourceId?: number, limit = 6, now = new Date()) {
  const timezone = await businessTimezone(db)
  const { days } = await findFreeSlots(db, { service: serviceId, resource: resourceId, from: localDay(near, timezone), days: 7 }, now)
  return days.flatMap((d) => d.slots).slice(0, limit).map(slotDto)
}

/** A slot as the API shows it. */
export const slotDto = (s: Slot) => ({ startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), seatsLeft: s.seatsLeft, resourceIds: s.resources.map((r) => r.resourceId) })

async function slotTakenError(db: DbOrTx, serviceId: number, startsAt: Date, resourceId?: number) {
  return new DomainError('slot_taken', 'Someone was faster: this time is no longer free. Pick another one.', 409, { alternatives: await alternativeSlots(db, serviceId, startsAt, resourceId) })
}

export async function recordHistory(w: WriteContext, bookingId: number, action: string, fromStatus: BookingStatus | null, toStatus: BookingStatus, details?: Record<string, unknown>) {
  await w.db.insert(bookingHistory).values({ bookingId, action, fromStatus, toStatus, actorKind: historyActorKind(w.actor), actorId: w.actor.userId, details: details ?? null })
}

/** The offered slot at `startsAt` (checked against the current schedule and bookings), else a 409 with alternatives. */
export async function offeredSlot(db: DbOrTx, service: BookingServiceRow, resources: readonly BookingResourceRow[], startsAt: Date, resourceId: number | undefined, now: Date, moving?: number) {
  const timezone = await businessTimezone(db)
  const candidates = resourceId === undefined ? resources : resources.filter((r) => r.id === resourceId)
  if (resourceId !== undefined && !candidates.length) throw new DomainError('not_found', 'This specialist does not perform this service')
  const day = localDay(startsAt, timezone)
  const [slots] = await slotsFor(db, service, candidates, day, 1, now, timezone, moving)
  const slot = slots!.slots.find((s) => s.startsAt.getTime() === startsAt.getTime())
  if (!slot) throw await slotTakenError(db, service.id, startsAt, resourceId)
  return slot
}

/**
 * Turns expired holds into `expired` (freeing their time) and tells nobody: the customer saw the
 * countdown. `overlapping` limits it to one resource and time (a booking that met such a hold).
 */
export async function expireHolds(ctx: ServiceContext, overlapping?: { resourceIds: number[]; from: Date; to: Date }, limit = 200) {
  const filters = [eq(bookings.status, 'held'), lt(bookings.holdExpiresAt, sql`now()`)]
  if (overlapping) filters.push(inArray(bookings.resourceId, overlapping.resourceIds), lt(bookings.occupiedFrom, overlapping.to), gt(bookings.occupiedTo, overlapping.from))
  const due = await ctx.db.select({ id: bookings.id }).from(bookings).where(and(...filters)).limit(limit)
  const expired: number[] = []
  for (const { id } of due) {
    const done = await write(ctx, async (w) => {
      const [row] = await w.db
        .update(bookings)
        .set({ status: 'expired', holdExpiresAt: null })
        .where(and(eq(bookings.id, id), eq(bookings.status, 'held'), lt(bookings.holdExpiresAt, sql`now()`)))
        .returning()
      if (!row) return false
      await recordHistory(w, id, 'hold_expired', 'held', 'expired')
      // A waitlist offer that ran out passes to the next in line; any freed seat is offered to whoever waits.
      await settleWaitlistEntry(w, id, 'missed')
      await queueWaitlistOffer(w, row)
      return true
    })
    if (done) expired.push(id)
  }
  return expired
}

/**
 * Places the customer's seat on the slot `tryPlace` puts it on: each candidate resource and seat
 * in turn, each in its own transaction, until the database accepts one. The EXCLUDE constraints
 * decide who wins under concurrency; losers move to the next seat and, with none left, get 409
 * `slot_taken` with fresh alternatives. Holds that expired on the way are released first.
 */
export async function claimSeat<T>(ctx: ServiceContext, slot: Slot, service: BookingServiceRow, place: (w: WriteContext, resourceId: number, seat: number) => Promise<T>): Promise<T> {
  const { occupiedFrom, occupiedTo } = occupancy(service, slot.startsAt)
  for (let round = 0; round < 2; round++) {
    for (const { resourceId } of slot.resources) {
      for (let seat = 1; seat <= service.capacity; seat++) {
        try {
          return await write(ctx, async (w) => {
            // Claims on one resource take turns. Without this, two inserts that each meet the other's
            // uncommitted row in an EXCLUDE check wait on each other until PostgreSQL's deadlock
            // detector breaks the tie a second later: 200 customers racing for one slot took minutes.
            await w.db.execute(sql`select pg_advisory_xact_lock(${RESOURCE_LOCK}::int, ${resourceId}::int)`)
            return place(w, resourceId, seat)
          })
        } catch (error) {
          // A deadlock between racing seat claims aborts one of them: it simply tries the next seat.
          if (!isExclusionViolation(error) && !isDeadlock(error)) throw error
        }
      }
    }
    // Everything refused: maybe by holds past their time that nobody expired yet.
    const freed = await expireHolds(ctx, { resourceIds: slot.resources.map((r) => r.resourceId), from: occupiedFrom, to: occupiedTo })
    if (!freed.length) break
  }
  throw await slotTakenError(ctx.db, service.id, slot.startsAt)
}

/** The prepayment a new booking of `service` owes: the amount and its currency (`XTR` for Stars), or none. */
export function prepaymentOf(service: Pick<BookingServiceRow, 'prepaymentMethod' | 'prepaymentMinor' | 'currency'>) {
  if (!service.prepaymentMethod || service.prepaymentMinor <= 0) return { prepaymentMinor: 0, prepaymentCurrency: null }
  return { prepaymentMinor: service.prepaymentMinor, prepaymentCurrency: service.prepaymentMethod === 'stars' ? 'XTR' : service.currency }
}

/**
 * Inserts a hold of one seat (inside the caller's transaction; an EXCLUDE refusal aborts it) with
 * its history and the job that expires it on time. The price and the prepayment are the
 * service's at this moment: what the customer was shown is what they are asked to pay.
 */
export async function insertHold(
  w: WriteContext,
  input: { userId: number; service: BookingServiceRow; resources: readonly BookingResourceRow[]; slot: Slot; resourceId: number; seat: number; idempotencyKey: string; holdMinutes: number; details?: Record<string, unknown> },
) {
  const { service, slot, resourceId, seat } = input
  const timezone = input.resources.find((r) => r.id === resourceId)?.timezone ?? (await businessTimezone(w.db))
  const [row] = await w.db
    .insert(bookings)
    .values({
      userId: input.userId,
      serviceId: service.id,
      resourceId,
      seat,
      status: 'held',
      ...occupancy(service, slot.startsAt),
      timezone,
      priceMinor: service.priceMinor,
      currency: service.currency,
      ...prepaymentOf(service),
      holdExpiresAt: sql`now() + make_interval(mins => ${input.holdMinutes})`,
      idempotencyKey: input.idempotencyKey,
    })
    .returning()
  await recordHistory(w, row!.id, 'held', null, 'held', { startsAt: row!.startsAt.toISOString(), resourceId, seat, ...input.details })
  await w.enqueue(expireBookingHoldsJob, { bookingId: row!.id }, { startAfter: new Date(row!.holdExpiresAt!.getTime() + 1000) })
  return row!
}

export async function findBookingByIdempotencyKey(db: DbOrTx, userId: number, key: string) {
  const [row] = await db.select().from(bookings).where(and(eq(bookings.userId, userId), eq(bookings.idempotencyKey, key)))
  return row
}

/**
 * Holds a slot for the customer while they confirm (the service's hold time): a booking in
 * `held` that occupies its seat like a confirmed one, expired by a job queued with it. The same
 * Idempotency-Key returns the same hold.
 */
export async function holdSlot(ctx: ServiceContext, input: HoldBookingInput, idempotencyKey: string, now = new Date()) {
  const userId = customerId(ctx)
  const existing = await findBookingByIdempotencyKey(ctx.db, userId, idempotencyKey)
  if (existing) return { booking: existing, created: false }
  const { service, resources } = await getBookingService(ctx.db, { id: input.serviceId })
  const [{ holds } = { holds: 0 }] = await ctx.db
    .select({ holds: sql<number>`count(*)::int` })
    .from(bookings)
    .where(and(eq(bookings.userId, userId), eq(bookings.status, 'held'), gt(bookings.holdExpiresAt, sql`now()`)))
  if (holds >= MAX_HOLDS_PER_CUSTOMER) throw new DomainError('too_many_holds', 'Confirm or let go of the times you already hold first', 409)
  const slot = await offeredSlot(ctx.db, service, resources, input.startsAt, input.resourceId, now)
  try {
    const booking = await claimSeat(ctx, slot, service, (w, resourceId, seat) => insertHold(w, { userId, service, resources, slot, resourceId, seat, idempotencyKey, holdMinutes: service.holdMinutes }))
    return { booking, created: true }
  } catch (error) {
    if (isUniqueViolation(error, 'bookings_idempotency_idx')) {
      const booking = await findBookingByIdempotencyKey(ctx.db, userId, idempotencyKey)
      if (booking) return { booking, created: false }
    }
    throw error
  }
}

/** A booking with its service, resource and history; `userId` scopes it to its owner when given. */
export async function getBooking(db: DbOrTx, bookingId: number, userId?: number) {
  const [row] = await db
    .select({ booking: bookings, service: bookingServices, resource: bookingResources })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .innerJoin(bookingResources, eq(bookingResources.id, bookings.resourceId))
    .where(userId === undefined ? eq(bookings.id, bookingId) : and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
  if (!row) throw new DomainError('not_found', 'No such booking')
  const history = await db.select().from(bookingHistory).where(eq(bookingHistory.bookingId, bookingId)).orderBy(asc(bookingHistory.createdAt), asc(bookingHistory.id))
  return { ...row.booking, service: row.service, resource: row.resource, history }
}
export type BookingDetail = Awaited<ReturnType<typeof getBooking>>

/** The customer's bookings, upcoming first then past (cancelled and expired holds left out of "upcoming"). */
export async function listCustomerBookings(db: DbOrTx, userId: number, limit = 100) {
  const rows = await db
    .select({ booking: bookings, service: bookingServices, resource: bookingResources })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .innerJoin(bookingResources, eq(bookingResources.id, bookings.resourceId))
    .where(and(eq(bookings.userId, userId), notInArray(bookings.status, ['expired'])))
    .orderBy(desc(bookings.startsAt))
    .limit(limit)
  return rows.map((r) => ({ ...r.booking, service: r.service, resource: r.resource }))
}

/** Reminders for a confirmed booking at its current start: one job per offset still in the future. */
export async function planReminders(w: WriteContext, booking: BookingRow, offsets: readonly number[], now: Date) {
  await w.cancelJobs(bookingReminderJob, booking.reminderJobIds)
  const ids: string[] = []
  for (const offsetMinutes of offsets) {
    const at = new Date(booking.startsAt.getTime() - offsetMinutes * 60_000)
    if (at.getTime() <= now.getTime()) continue
    const id = await w.enqueue(
      bookingReminderJob,
      { bookingId: booking.id, startsAt: booking.startsAt.toISOString(), offsetMinutes },
      { startAfter: at, singletonKey: `booking-${booking.id}-reminder-${offsetMinutes}-${booking.startsAt.getTime()}`, singletonSeconds: 60 },
    )
    if (id) ids.push(id)
  }
  await w.db.update(bookings).set({ reminderJobIds: ids, remindersSent: [] }).where(eq(bookings.id, booking.id))
  return ids
}

async function dropReminders(w: WriteContext, booking: BookingRow) {
  await w.cancelJobs(bookingReminderJob, booking.reminderJobIds)
  await w.db.update(bookings).set({ reminderJobIds: [] }).where(eq(bookings.id, booking.id))
}

export const notice = (w: WriteContext, booking: BookingRow, kind: BookingNotice) => w.enqueue(bookingNoticeJob, { bookingId: booking.id, notice: kind, startsAt: booking.startsAt.toISOString() }, bookingNoticeOptions(booking.id, kind, booking.startsAt))

/**
 * The customer confirms their hold: the booking is theirs, the confirmation goes to the chat and
 * the reminders are planned, all in one transaction. A hold past its time cannot be confirmed.
 */
export async function confirmBooking(ctx: ServiceContext, bookingId: number, now = new Date()) {
  const userId = customerId(ctx)
  return write(ctx, async (w) => {
    const current = await getBooking(w.db, bookingId, userId)
    if (current.status === 'confirmed') return current
    if (current.prepaymentMinor > 0 && !current.paidAt) {
      throw new DomainError('payment_required', 'This booking is confirmed by its prepayment: pay it to book', 409, { prepaymentMinor: current.prepaymentMinor, currency: current.prepaymentCurrency })
    }
    const row = await confirmHeld(w, current, 'confirmed', {}, now)
    if (!row) {
      if (current.status === 'held' || current.status === 'expired') throw new DomainError('hold_expired', 'The time held for you ran out; pick the slot again', 409)
      throw new DomainError('invalid_transition', `A booking that is ${current.status} cannot be confirmed`, 409, { from: current.status, to: 'confirmed' })
    }
    return getBooking(w.db, bookingId)
  })
}

/**
 * Turns a live hold into a confirmed booking inside the caller's transaction: history, reminders,
 * the chat confirmation and the waitlist entry it came from, all or nothing. Undefined when the
 * hold is no longer there (expired, cancelled, already confirmed).
 */
export async function confirmHeld(w: WriteContext, current: BookingDetail, action: string, set: Partial<Pick<BookingRow, 'paidAt'>>, now: Date, details?: Record<string, unknown>) {
  // A paid hold still `held` keeps its seat (the EXCLUDE constraints still count it) even a moment past its time: the money decides.
  const alive = set.paidAt ? undefined : gt(bookings.holdExpiresAt, sql`now()`)
  const [row] = await w.db
    .update(bookings)
    .set({ status: 'confirmed', holdExpiresAt: null, ...set })
    .where(and(eq(bookings.id, current.id), eq(bookings.status, 'held'), alive))
    .returning()
  if (!row) return undefined
  await recordHistory(w, current.id, action, 'held', 'confirmed', details)
  await planReminders(w, row, current.service.reminderOffsetsMinutes, now)
  await notice(w, row, 'confirmed')
  await settleWaitlistEntry(w, current.id, 'booked')
  await emitIntegrationEvent(w, await bookingEvent(w.db, 'booking.created', row.id))
  return row
}

/**
 * The cancellation policy: a customer who cancels at least `refund_deadline_minutes` before the
 * start gets the prepayment back; later, they may still cancel until the change deadline, without
 * a refund. Staff cancellations always refund.
 */
export function refundOnCancel(booking: Pick<BookingRow, 'status' | 'startsAt' | 'paidAt' | 'prepaymentMinor'>, service: Pick<BookingServiceRow, 'refundDeadlineMinutes'>, byStaff: boolean, now = new Date()) {
  if (!booking.paidAt || booking.prepaymentMinor <= 0) return false
  return byStaff || booking.startsAt.getTime() - now.getTime() >= service.refundDeadlineMinutes * 60_000
}

/** Whether the customer may still change this booking themselves (the app shows the buttons from this). */
export function customerMayChange(booking: Pick<BookingRow, 'status' | 'startsAt'>, service: Pick<BookingServiceRow, 'cancelDeadlineMinutes'>, now = new Date()) {
  if (booking.status === 'held') return true
  return booking.status === 'confirmed' && booking.startsAt.getTime() - now.getTime() >= service.cancelDeadlineMinutes * 60_000
}

export async function cancelIn(w: WriteContext, current: BookingDetail, action: string, note: string | undefined, now: Date = new Date()) {
  const [row] = await w.db
    .update(bookings)
    .set({ status: 'cancelled', holdExpiresAt: null })
    .where(and(eq(bookings.id, current.id), inArray(bookings.status, ['held', 'confirmed'])))
    .returning()
  if (!row) throw new DomainError('invalid_transition', `A booking that is ${current.status} cannot be cancelled`, 409, { from: current.status, to: 'cancelled' })
  const refund = refundOnCancel(current, current.service, w.actor.kind === 'staff', now)
  const details: Record<string, unknown> = { ...(note ? { note } : {}), ...(current.paidAt ? { refund } : {}) }
  await recordHistory(w, current.id, action, current.status, 'cancelled', Object.keys(details).length ? details : undefined)
  await dropReminders(w, current)
  if (current.status === 'confirmed') await notice(w, row, 'cancelled')
  if (refund) {
    // The prepayment goes back through the payments module's refund path, from a queued job that retries (Telegram may be down).
    for (const id of await refundableBookingPayments(w.db, current.id)) await w.enqueue(bookingRefundJob, { paymentId: id, bookingId: current.id, reason: w.actor.kind === 'staff' ? 'Booking cancelled by staff' : 'Booking cancelled within the cancellation policy' }, { singletonKey: `booking-refund-${id}`, singletonSeconds: 7 * 24 * 3600 })
  }
  // A hold offered from the waitlist and let go passes to the next in line; the freed seat is offered to whoever waits.
  await settleWaitlistEntry(w, current.id, 'declined')
  await queueWaitlistOffer(w, current)
  if (current.status === 'confirmed') await emitIntegrationEvent(w, await bookingEvent(w.db, 'booking.cancelled', row.id))
  return row
}

/** The customer cancels their booking (or lets go of a hold) until the service's deadline. */
export async function cancelBookingAsCustomer(ctx: ServiceContext, bookingId: number, now = new Date()) {
  const userId = customerId(ctx)
  return write(ctx, async (w) => {
    const current = await getBooking(w.db, bookingId, userId)
    if (FREEING.includes(current.status)) return current
    if (!customerMayChange(current, current.service, now)) throw new DomainError('change_deadline_passed', 'It is too late to cancel this booking online; please call us', 409, { deadlineMinutes: current.service.cancelDeadlineMinutes })
    await cancelIn(w, current, 'cancelled', undefined, now)
    return getBooking(w.db, bookingId)
  })
}

/**
 * Moves a confirmed booking to another offered slot (another resource too): the same row gets
 * the new time and a seat the database accepts, the old reminders are dropped and new ones
 * planned, and the customer is told, in one transaction per attempt.
 */
async function moveBooking(ctx: ServiceContext, bookingId: number, input: RescheduleBookingInput, userId: number | undefined, now: Date) {
  const current = await getBooking(ctx.db, bookingId, userId)
  if (current.status !== 'confirmed') throw new DomainError('invalid_transition', `A booking that is ${current.status} cannot be moved`, 409, { from: current.status, to: 'confirmed' })
  if (userId !== undefined && !customerMayChange(current, current.service, now)) throw new DomainError('change_deadline_passed', 'It is too late to move this booking online; please call us', 409, { deadlineMinutes: current.service.cancelDeadlineMinutes })
  const { service, resources } = await getBookingService(ctx.db, { id: current.serviceId })
  const slot = await offeredSlot(ctx.db, service, resources, input.startsAt, input.resourceId, now, bookingId)
  return claimSeat(ctx, slot, service, async (w, resourceId, seat) => {
    const [row] = await w.db
      .update(bookings)
      .set({ resourceId, seat, ...occupancy(service, slot.startsAt), timezone: resources.find((r) => r.id === resourceId)?.timezone ?? current.timezone, customerConfirmedAt: null })
      .where(and(eq(bookings.id, bookingId), eq(bookings.status, 'confirmed'), eq(bookings.startsAt, current.startsAt)))
      .returning()
    if (!row) throw new DomainError('conflict', 'The booking changed meanwhile; reload it', 409)
    const change = { from: { startsAt: current.startsAt.toISOString(), resourceId: current.resourceId }, to: { startsAt: row.startsAt.toISOString(), resourceId } }
    await recordHistory(w, bookingId, 'rescheduled', 'confirmed', 'confirmed', change)
    if (w.actor.kind === 'staff') await w.audit({ action: 'booking.move', entityType: 'booking', entityId: bookingId, before: change.from, after: change.to })
    await planReminders(w, { ...row, reminderJobIds: current.reminderJobIds }, service.reminderOffsetsMinutes, now)
    await notice(w, row, 'rescheduled')
    // The seat it left may be what someone in the waitlist waits for.
    await queueWaitlistOffer(w, current)
    await emitIntegrationEvent(w, await bookingEvent(w.db, 'booking.changed', row.id))
    return row
  })
}

/** The customer moves their confirmed booking to another free slot, until the service's deadline. */
export async function rescheduleBookingAsCustomer(ctx: ServiceContext, bookingId: number, input: RescheduleBookingInput, now = new Date()) {
  await moveBooking(ctx, bookingId, input, customerId(ctx), now)
  return getBooking(ctx.db, bookingId)
}

/** Staff move a booking on the customer's behalf (no deadline); audited, the customer told. */
export async function moveBookingAsStaff(ctx: ServiceContext, bookingId: number, input: RescheduleBookingInput, now = new Date()) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff move bookings for customers')
  await moveBooking(ctx, bookingId, input, undefined, now)
  return getBooking(ctx.db, bookingId)
}

/** Staff mark a booking done or no-show, or cancel it for the customer; audited with before and after. */
export async function setBookingStatusAsStaff(ctx: ServiceContext, bookingId: number, status: 'done' | 'no_show' | 'cancelled', note?: string) {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff change bookings for customers')
  return write(ctx, async (w) => {
    const current = await getBooking(w.db, bookingId)
    if (status === 'cancelled') await cancelIn(w, current, 'cancelled_by_staff', note, new Date())
    else {
      const [row] = await w.db.update(bookings).set({ status }).where(and(eq(bookings.id, bookingId), eq(bookings.status, 'confirmed'))).returning()
      if (!row) throw new DomainError('invalid_transition', `A booking that is ${current.status} cannot become ${status}`, 409, { from: current.status, to: status })
      await recordHistory(w, bookingId, status, 'confirmed', status, note ? { note } : undefined)
      await dropReminders(w, current)
      await emitIntegrationEvent(w, await bookingEvent(w.db, 'booking.changed', bookingId))
    }
    await w.audit({ action: 'booking.status', entityType: 'booking', entityId: bookingId, before: { status: current.status }, after: { status, note } })
    return getBooking(w.db, bookingId)
  })
}

/** The customer answers a reminder with "I'll come": noted on the booking and in its history. */
export async function confirmAttendance(ctx: ServiceContext, bookingId: number) {
  const userId = customerId(ctx)
  return write(ctx, async (w) => {
    const current = await getBooking(w.db, bookingId, userId)
    if (current.status !== 'confirmed') throw new DomainError('invalid_transition', `A booking that is ${current.status} cannot be confirmed`, 409, { from: current.status })
    if (!current.customerConfirmedAt) {
      await w.db.update(bookings).set({ customerConfirmedAt: sql`now()` }).where(eq(bookings.id, bookingId))
      await recordHistory(w, bookingId, 'attendance_confirmed', 'confirmed', 'confirmed')
    }
    return getBooking(w.db, bookingId)
  })
}

/** Marks a reminder as sent for the booking's current start; false when it no longer applies or went out already. */
export async function claimReminder(ctx: ServiceContext, bookingId: number, startsAt: string, offsetMinutes: number) {
  const [row] = await ctx.db
    .update(bookings)
    .set({ remindersSent: sql`${bookings.remindersSent} || ${JSON.stringify([offsetMinutes])}::jsonb` })
    .where(and(eq(bookings.id, bookingId), eq(bookings.status, 'confirmed'), eq(bookings.startsAt, new Date(startsAt)), sql`not (${bookings.remindersSent} @> ${JSON.stringify([offsetMinutes])}::jsonb)`))
    .returning({ id: bookings.id })
  return Boolean(row)
}

/** One or several local days of bookings for /admin, all resources or one, in start order. */
export async function listBookingsForAdmin(db: DbOrTx, query: { date: string; days: number; resource?: number }) {
  const timezone = await businessTimezone(db)
  const from = zonedInstant(query.date, 0, timezone) ?? new Date(`${query.date}T00:00:00Z`)
  const to = zonedInstant(addDays(query.date, query.days), 0, timezone) ?? new Date(from.getTime() + query.days * DAY)
  const filters = [gte(bookings.startsAt, from), lt(bookings.startsAt, to), notInArray(bookings.status, ['expired'])]
  if (query.resource !== undefined) filters.push(eq(bookings.resourceId, query.resource))
  const rows = await db
    .select({ booking: bookings, service: bookingServices, resource: bookingResources })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .innerJoin(bookingResources, eq(bookingResources.id, bookings.resourceId))
    .where(and(...filters))
    .orderBy(asc(bookings.startsAt), asc(bookings.resourceId), asc(bookings.seat))
    .limit(500)
  return { timezone, items: rows.map((r) => ({ ...r.booking, service: r.service, resource: r.resource })) }
}
