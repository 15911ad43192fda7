import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { findUser } from '../auth/users'
import { bookingResourceExceptions, bookingResourceServices, bookingResources, bookingServices, bookings, type DayHours } from '../../db/schema/booking'
import type { BookingResourceInput, BookingResourcePatch, BookingServiceInput, BookingServicePatch, ResourceExceptionInput, StaffBookingInput } from '#shared/schemas/booking-admin'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext, type WriteContext } from '../context'
import { businessTimezone } from '../settings'
import { cancelIn, claimSeat, getBooking, getBookingService, offeredSlot, planReminders, notice, recordHistory, type BookingResourceRow, type BookingRow, type BookingServiceRow } from './index'
import { occupancy, workingWindows } from './slots'
import { addDays, localDay, localMinutes, zonedInstant } from './time'

/**
 * What owners and admins edit in /admin: services, resources (staff, rooms) with their weeks and
 * dated exceptions, and bookings staff make for a customer. Every write is audited with before and
 * after; a schedule change that would leave confirmed bookings outside the hours is refused
 * (409 `schedule_conflict`, listing them) unless the operator says to keep or to cancel them.
 */

type OnConflict = 'check' | 'keep' | 'cancel'

const slugTaken = (slug: string) => new DomainError('conflict', `The code "${slug}" is taken`, 409, [{ path: 'slug', message: 'taken' }])
function slugFrom(name: string) {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'item'
  return `${base}-${Math.random().toString(36).slice(2, 7)}`
}

export const toAdminServiceDto = (s: BookingServiceRow, resourceIds: number[]) => ({
  id: s.id,
  slug: s.slug,
  name: s.name,
  description: s.description,
  durationMinutes: s.durationMinutes,
  priceMinor: s.priceMinor,
  currency: s.currency,
  bufferBeforeMinutes: s.bufferBeforeMinutes,
  bufferAfterMinutes: s.bufferAfterMinutes,
  capacity: s.capacity,
  slotStepMinutes: s.slotStepMinutes,
  minNoticeMinutes: s.minNoticeMinutes,
  horizonDays: s.horizonDays,
  holdMinutes: s.holdMinutes,
  reminderOffsetsMinutes: s.reminderOffsetsMinutes,
  cancelDeadlineMinutes: s.cancelDeadlineMinutes,
  prepaymentMethod: s.prepaymentMethod,
  prepaymentMinor: s.prepaymentMinor,
  refundDeadlineMinutes: s.refundDeadlineMinutes,
  waitlistOfferMinutes: s.waitlistOfferMinutes,
  isActive: s.isActive,
  resourceIds,
})

/** A prepayment method needs an amount and an amount needs a method (the table's check, said as a 400). */
function assertPrepayment(service: { prepaymentMethod?: string | null; prepaymentMinor?: number }) {
  const method = service.prepaymentMethod ?? null
  const amount = service.prepaymentMinor ?? 0
  if (method && amount <= 0) throw new DomainError('validation_failed', 'A prepayment needs an amount above 0', 400, [{ path: 'prepaymentMinor', message: 'must be above 0 with a prepayment method' }])
  if (!method && amount > 0) throw new DomainError('validation_failed', 'An amount needs a prepayment method', 400, [{ path: 'prepaymentMethod', message: 'required with an amount' }])
}

export const toAdminResourceDto = (r: BookingResourceRow, serviceIds: number[]) => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  timezone: r.timezone,
  workingHours: r.workingHours,
  breaks: r.breaks,
  isActive: r.isActive,
  serviceIds,
})

async function links(db: DbOrTx) {
  const rows = await db.select({ resourceId: bookingResourceServices.resourceId, serviceId: bookingResourceServices.serviceId }).from(bookingResourceServices)
  const byService = new Map<number, number[]>()
  const byResource = new Map<number, number[]>()
  for (const { resourceId, serviceId } of rows) {
    byService.set(serviceId, [...(byService.get(serviceId) ?? []), resourceId].sort((a, b) => a - b))
    byResource.set(resourceId, [...(byResource.get(resourceId) ?? []), serviceId].sort((a, b) => a - b))
  }
  return { byService, byResource }
}

/** Every service, hidden ones too, with who performs it. */
export async function listServicesForAdmin(db: DbOrTx) {
  const [rows, { byService }] = await Promise.all([db.select().from(bookingServices).orderBy(asc(bookingServices.id)), links(db)])
  return rows.map((s) => toAdminServiceDto(s, byService.get(s.id) ?? []))
}

/** Every resource, inactive ones too, with its week and the services it performs. */
export async function listResourcesForAdmin(db: DbOrTx) {
  const [rows, { byResource }] = await Promise.all([db.select().from(bookingResources).orderBy(asc(bookingResources.id)), links(db)])
  return rows.map((r) => toAdminResourceDto(r, byResource.get(r.id) ?? []))
}

async function assertExist(db: DbOrTx, table: typeof bookingResources | typeof bookingServices, ids: readonly number[], field: string) {
  if (!ids.length) return
  const found = await db.select({ id: table.id }).from(table).where(inArray(table.id, [...ids]))
  if (found.length !== new Set(ids).size) throw new DomainError('validation_failed', `Unknown ${field}`, 400, [{ path: field, message: 'unknown id' }])
}

async function setServiceResources(w: WriteContext, serviceId: number, resourceIds: readonly number[]) {
  await assertExist(w.db, bookingResources, resourceIds, 'resourceIds')
  await w.db.delete(bookingResourceServices).where(eq(bookingResourceServices.serviceId, serviceId))
  if (resourceIds.length) await w.db.insert(bookingResourceServices).values([...new Set(resourceIds)].map((resourceId) => ({ resourceId, serviceId })))
}

async function setResourceServices(w: WriteContext, resourceId: number, serviceIds: readonly number[]) {
  await assertExist(w.db, bookingServices, serviceIds, 'serviceIds')
  await w.db.delete(bookingResourceServices).where(eq(bookingResourceServices.resourceId, resourceId))
  if (serviceIds.length) await w.db.insert(bookingResourceServices).values([...new Set(serviceIds)].map((serviceId) => ({ resourceId, serviceId })))
}

const sorted = (ids: readonly number[]) => [...new Set(ids)].sort((a, b) => a - b)

export async function createBookingService(ctx: ServiceContext, input: BookingServiceInput) {
  const { resourceIds, ...fields } = input
  const slug = input.slug ?? slugFrom(input.name.en)
  assertPrepayment(fields)
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(bookingServices)
      .values({ ...fields, slug })
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(slug) : error
      })
    await setServiceResources(w, row!.id, resourceIds)
    const dto = toAdminServiceDto(row!, sorted(resourceIds))
    await w.audit({ action: 'booking_service.create', entityType: 'booking_service', entityId: row!.id, after: dto })
    return dto
  })
}

/**
 * Edits a service. Bookings already made keep their time and price (a new duration applies to new
 * bookings); hiding a service stops new bookings and keeps the existing ones.
 */
export async function updateBookingService(ctx: ServiceContext, id: number, patch: BookingServicePatch) {
  const { resourceIds, ...fields } = patch
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(bookingServices).where(eq(bookingServices.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such service')
    const { byService } = await links(w.db)
    const beforeDto = toAdminServiceDto(before, byService.get(id) ?? [])
    assertPrepayment({ prepaymentMethod: 'prepaymentMethod' in fields ? fields.prepaymentMethod : before.prepaymentMethod, prepaymentMinor: fields.prepaymentMinor ?? before.prepaymentMinor })
    const [after] = Object.keys(fields).length
      ? await w.db
          .update(bookingServices)
          .set({ ...fields, updatedAt: sql`now()` })
          .where(eq(bookingServices.id, id))
          .returning()
          .catch((error) => {
            throw isUniqueViolation(error) ? slugTaken(fields.slug ?? '') : error
          })
      : [before]
    if (resourceIds) await setServiceResources(w, id, resourceIds)
    const afterDto = toAdminServiceDto(after!, resourceIds ? sorted(resourceIds) : beforeDto.resourceIds)
    await w.audit({ action: 'booking_service.update', entityType: 'booking_service', entityId: id, before: beforeDto, after: afterDto })
    return afterDto
  })
}

export async function createBookingResource(ctx: ServiceContext, input: BookingResourceInput) {
  const { serviceIds, ...fields } = input
  const slug = input.slug ?? slugFrom(input.name.en)
  return write(ctx, async (w) => {
    const [row] = await w.db
      .insert(bookingResources)
      .values({ ...fields, slug })
      .returning()
      .catch((error) => {
        throw isUniqueViolation(error) ? slugTaken(slug) : error
      })
    await setResourceServices(w, row!.id, serviceIds)
    const dto = toAdminResourceDto(row!, sorted(serviceIds))
    await w.audit({ action: 'booking_resource.create', entityType: 'booking_resource', entityId: row!.id, after: dto })
    return dto
  })
}

/** A confirmed booking a schedule change would leave outside the hours (what the operator is shown). */
export interface OrphanedBooking {
  id: number
  startsAt: string
  endsAt: string
  serviceName: { ru: string; en: string }
  customerId: number
}

/**
 * Confirmed bookings of a resource from now on whose appointment no longer fits its working
 * windows (the week, breaks and dated exceptions as they are in `db` now, in the resource's zone).
 */
export async function bookingsOutsideHours(db: DbOrTx, resourceId: number, now = new Date()): Promise<OrphanedBooking[]> {
  const [resource] = await db.select().from(bookingResources).where(eq(bookingResources.id, resourceId))
  if (!resource) return []
  const rows = await db
    .select({ booking: bookings, serviceName: bookingServices.name })
    .from(bookings)
    .innerJoin(bookingServices, eq(bookingServices.id, bookings.serviceId))
    .where(and(eq(bookings.resourceId, resourceId), eq(bookings.status, 'confirmed'), gte(bookings.endsAt, now)))
    .orderBy(asc(bookings.startsAt))
    .limit(1000)
  if (!rows.length) return []
  const days = rows.map((r) => localDay(r.booking.startsAt, resource.timezone))
  const exceptionRows = await db
    .select()
    .from(bookingResourceExceptions)
    .where(and(eq(bookingResourceExceptions.resourceId, resourceId), gte(bookingResourceExceptions.day, days[0]!), lte(bookingResourceExceptions.day, days.at(-1)!)))
  const exceptions = new Map(exceptionRows.map((e) => [e.day, e.hours]))
  return rows
    .filter(({ booking }, i) => {
      const day = days[i]!
      const from = localMinutes(booking.startsAt, resource.timezone)
      const to = from + Math.round((booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000)
      return !workingWindows(resource, day, exceptions.get(day)).some(([a, b]) => a <= from && to <= b)
    })
    .map(({ booking, serviceName }) => ({ id: booking.id, startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString(), serviceName, customerId: booking.userId }))
}

/** After a schedule change inside `w`: refuse, keep or cancel the bookings it leaves outside the hours. */
async function settleOrphans(w: WriteContext, resourceId: number, onConflict: OnConflict, now: Date) {
  const orphans = await bookingsOutsideHours(w.db, resourceId, now)
  if (!orphans.length || onConflict === 'keep') return { kept: orphans.map((o) => o.id), cancelled: [] as number[] }
  if (onConflict === 'check') throw new DomainError('schedule_conflict', 'Confirmed bookings fall outside the new hours: keep them or cancel them', 409, { bookings: orphans })
  for (const orphan of orphans) {
    const current = await getBooking(w.db, orphan.id)
    await cancelIn(w, current, 'cancelled_by_staff', 'schedule changed')
    await w.audit({ action: 'booking.status', entityType: 'booking', entityId: orphan.id, before: { status: 'confirmed' }, after: { status: 'cancelled', note: 'schedule changed' } })
  }
  return { kept: [] as number[], cancelled: orphans.map((o) => o.id) }
}

/** Edits a resource (name, zone, week, breaks, services, active); see `settleOrphans` for bookings left outside. */
export async function updateBookingResource(ctx: ServiceContext, id: number, patch: BookingResourcePatch, now = new Date()) {
  const { serviceIds, onConflict = 'check', ...fields } = patch
  return write(ctx, async (w) => {
    const [before] = await w.db.select().from(bookingResources).where(eq(bookingResources.id, id)).for('update')
    if (!before) throw new DomainError('not_found', 'No such resource')
    const { byResource } = await links(w.db)
    const beforeDto = toAdminResourceDto(before, byResource.get(id) ?? [])
    const [after] = Object.keys(fields).length
      ? await w.db
          .update(bookingResources)
          .set({ ...fields, updatedAt: sql`now()` })
          .where(eq(bookingResources.id, id))
          .returning()
          .catch((error) => {
            throw isUniqueViolation(error) ? slugTaken(fields.slug ?? '') : error
          })
      : [before]
    if (serviceIds) await setResourceServices(w, id, serviceIds)
    const bookingsChanged = await settleOrphans(w, id, onConflict, now)
    const afterDto = toAdminResourceDto(after!, serviceIds ? sorted(serviceIds) : beforeDto.serviceIds)
    await w.audit({ action: 'booking_resource.update', entityType: 'booking_resource', entityId: id, before: beforeDto, after: { ...afterDto, ...bookingsChanged } })
    return { resource: afterDto, ...bookingsChanged }
  })
}

export const toExceptionDto = (e: typeof bookingResourceExceptions.$inferSelect) => ({ day: e.day, hours: e.hours, note: e.note })

/** A resource's dated exceptions from `from` (default: 30 days ago) on, by date. */
export async function listResourceExceptions(db: DbOrTx, resourceId: number, from?: string) {
  const [resource] = await db.select({ id: bookingResources.id, timezone: bookingResources.timezone }).from(bookingResources).where(eq(bookingResources.id, resourceId))
  if (!resource) throw new DomainError('not_found', 'No such resource')
  const since = from ?? addDays(localDay(new Date(), resource.timezone), -30)
  const rows = await db
    .select()
    .from(bookingResourceExceptions)
    .where(and(eq(bookingResourceExceptions.resourceId, resourceId), gte(bookingResourceExceptions.day, since)))
    .orderBy(asc(bookingResourceExceptions.day))
    .limit(500)
  return rows.map(toExceptionDto)
}

/** Sets one date's hours of a resource (none: a holiday or sick day); audited; orphans settled as asked. */
export async function putResourceException(ctx: ServiceContext, resourceId: number, day: string, input: ResourceExceptionInput, now = new Date()) {
  return write(ctx, async (w) => {
    const [resource] = await w.db.select({ id: bookingResources.id }).from(bookingResources).where(eq(bookingResources.id, resourceId)).for('update')
    if (!resource) throw new DomainError('not_found', 'No such resource')
    const [before] = await w.db.select().from(bookingResourceExceptions).where(and(eq(bookingResourceExceptions.resourceId, resourceId), eq(bookingResourceExceptions.day, day)))
    const hours: DayHours = input.hours
    const [row] = await w.db
      .insert(bookingResourceExceptions)
      .values({ resourceId, day, hours, note: input.note ?? null })
      .onConflictDoUpdate({ target: [bookingResourceExceptions.resourceId, bookingResourceExceptions.day], set: { hours, note: input.note ?? null, updatedAt: sql`now()` } })
      .returning()
    const bookingsChanged = await settleOrphans(w, resourceId, input.onConflict, now)
    await w.audit({ action: 'booking_exception.set', entityType: 'booking_resource', entityId: resourceId, before: before ? toExceptionDto(before) : null, after: { ...toExceptionDto(row!), ...bookingsChanged } })
    return { exception: toExceptionDto(row!), ...bookingsChanged }
  })
}

/** Removes a date's exception (the week's hours apply again); audited; orphans settled as asked. */
export async function deleteResourceException(ctx: ServiceContext, resourceId: number, day: string, onConflict: OnConflict, now = new Date()) {
  return write(ctx, async (w) => {
    const [before] = await w.db
      .delete(bookingResourceExceptions)
      .where(and(eq(bookingResourceExceptions.resourceId, resourceId), eq(bookingResourceExceptions.day, day)))
      .returning()
    if (!before) throw new DomainError('not_found', 'No exception on that day')
    const bookingsChanged = await settleOrphans(w, resourceId, onConflict, now)
    await w.audit({ action: 'booking_exception.delete', entityType: 'booking_resource', entityId: resourceId, before: toExceptionDto(before), after: bookingsChanged })
    return bookingsChanged
  })
}

/**
 * Staff book a free slot for a customer (at the desk, on the phone): confirmed at once, the
 * confirmation and reminders go to the customer's chat, audited. The same slot rules and the same
 * database constraints as the customer's own booking; a taken slot is 409 `slot_taken`.
 */
export async function createBookingAsStaff(ctx: ServiceContext, input: StaffBookingInput, idempotencyKey: string, now = new Date()): Promise<BookingRow> {
  if (ctx.actor.kind !== 'staff') throw new DomainError('forbidden', 'Only staff book for customers')
  if (!(await findUser(ctx.db, input.customerId))) throw new DomainError('not_found', 'No such customer')
  const key = `staff:${idempotencyKey}`
  const [existing] = await ctx.db.select().from(bookings).where(and(eq(bookings.userId, input.customerId), eq(bookings.idempotencyKey, key)))
  if (existing) return existing
  const { service, resources } = await getBookingService(ctx.db, { id: input.serviceId })
  const slot = await offeredSlot(ctx.db, service, resources, input.startsAt, input.resourceId, now)
  const timezone = await businessTimezone(ctx.db)
  return claimSeat(ctx, slot, service, async (w, resourceId, seat) => {
    const [row] = await w.db
      .insert(bookings)
      .values({
        userId: input.customerId,
        serviceId: service.id,
        resourceId,
        seat,
        status: 'confirmed',
        ...occupancy(service, slot.startsAt),
        timezone: resources.find((r) => r.id === resourceId)?.timezone ?? timezone,
        priceMinor: service.priceMinor,
        currency: service.currency,
        idempotencyKey: key,
      })
      .returning()
    await recordHistory(w, row!.id, 'booked_by_staff', null, 'confirmed', { startsAt: row!.startsAt.toISOString(), resourceId, seat })
    await w.audit({ action: 'booking.create', entityType: 'booking', entityId: row!.id, after: { customerId: input.customerId, serviceId: service.id, resourceId, seat, startsAt: row!.startsAt.toISOString() } })
    await planReminders(w, row!, service.reminderOffsetsMinutes, now)
    await notice(w, row!, 'confirmed')
    return row!
  })
}

/**
 * Working windows per resource and local day of the business, in minutes after that day's
 * midnight in the business's zone: what the calendar shades as open.
 */
export async function calendarHours(db: DbOrTx, resources: readonly BookingResourceRow[], from: string, days: number, timezone: string) {
  const ids = resources.map((r) => r.id)
  const exceptionRows = ids.length
    ? await db
        .select()
        .from(bookingResourceExceptions)
        .where(and(inArray(bookingResourceExceptions.resourceId, ids), gte(bookingResourceExceptions.day, from), lte(bookingResourceExceptions.day, addDays(from, days))))
    : []
  const exceptions = new Map(exceptionRows.map((e) => [`${e.resourceId}:${e.day}`, e.hours]))
  const result: Record<string, Record<string, [number, number][]>> = {}
  for (const resource of resources) {
    const perDay: Record<string, [number, number][]> = {}
    for (let i = 0; i < days; i++) {
      const day = addDays(from, i)
      const windows = workingWindows(resource, day, exceptions.get(`${resource.id}:${day}`))
      perDay[day] =
        resource.timezone === timezone
          ? windows
          : windows.flatMap(([a, b]): [number, number][] => {
              const start = zonedInstant(day, a, resource.timezone)
              const end = zonedInstant(day, b, resource.timezone)
              if (!start || !end) return []
              const s = localDay(start, timezone) === day ? localMinutes(start, timezone) : 0
              const e = localDay(end, timezone) === day ? localMinutes(end, timezone) : 24 * 60
              return s < e ? [[s, e]] : []
            })
    }
    result[resource.id] = perDay
  }
  return result
}
