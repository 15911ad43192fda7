import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { bookingResourceExceptions, bookingResources, bookings } from '../../db/schema/booking'
import type { BookingReportQuery } from '#shared/schemas/booking-calendar'
import { toCsv } from '../../utils/csv'
import { businessTimezone } from '../settings'
import { workingWindows } from './slots'
import { addDays, localDay, zonedDay } from './time'

/** One resource on one local day of the business. */
export interface ResourceDay {
  day: string
  resourceId: number
  /** Bookings that took place or were due (confirmed, done, no-show), counted by seat. */
  bookings: number
  done: number
  noShows: number
  cancelled: number
  /** Minutes of appointments (a class with four customers counts once: the resource was busy once). */
  bookedMinutes: number
  /** Minutes the schedule had the resource open that day (week's hours minus breaks, or the day's exception). */
  openMinutes: number
}

const MINUTE = 60_000
const MAX_DAYS = 366

/**
 * Bookings, no-shows, cancellations and utilisation per resource and local day (the business's
 * zone), from `from` to `to` (both included; the last 30 days by default). Bookings are counted
 * on the day of their appointment. Utilisation is booked minutes over open minutes, both real
 * minutes (a daylight-saving day is 23 or 25 hours long on the clock but counts what it was).
 */
export async function bookingReport(db: DbOrTx, query: BookingReportQuery, now = new Date()) {
  const timezone = await businessTimezone(db)
  const toDay = query.to ?? localDay(now, timezone)
  const fromDay = query.from ?? addDays(toDay, -29)
  const dayList: string[] = []
  for (let day = fromDay; day <= toDay && dayList.length < MAX_DAYS; day = addDays(day, 1)) dayList.push(day)
  const lastDay = dayList[dayList.length - 1]!
  const resources = await db
    .select()
    .from(bookingResources)
    .where(query.resource === undefined ? eq(bookingResources.isActive, true) : eq(bookingResources.id, query.resource))
    .orderBy(asc(bookingResources.id))
  const ids = resources.map((r) => r.id)
  const empty = { from: fromDay, to: lastDay, timezone, dayList, resources: resources.map((r) => ({ id: r.id, name: r.name })), rows: [] as ResourceDay[] }
  if (!ids.length) return { ...empty, totals: totalsOf([]) }
  const rangeFrom = zonedDay(fromDay, timezone)(0) ?? new Date(`${fromDay}T00:00:00Z`)
  const rangeTo = zonedDay(addDays(lastDay, 1), timezone)(0) ?? new Date(`${addDays(lastDay, 1)}T00:00:00Z`)
  const [sessions, exceptionRows] = await Promise.all([
    // One row per session and status (seats counted), so a busy year stays a few thousand rows.
    db
      .select({ resourceId: bookings.resourceId, serviceId: bookings.serviceId, startsAt: bookings.startsAt, endsAt: bookings.endsAt, status: bookings.status, seats: sql<number>`count(*)::int` })
      .from(bookings)
      .where(and(inArray(bookings.resourceId, ids), gte(bookings.startsAt, rangeFrom), lt(bookings.startsAt, rangeTo), inArray(bookings.status, ['confirmed', 'done', 'no_show', 'cancelled'])))
      .groupBy(bookings.resourceId, bookings.serviceId, bookings.startsAt, bookings.endsAt, bookings.status),
    db
      .select()
      .from(bookingResourceExceptions)
      .where(and(inArray(bookingResourceExceptions.resourceId, ids), gte(bookingResourceExceptions.day, fromDay), lte(bookingResourceExceptions.day, lastDay))),
  ])
  const exceptions = new Map(exceptionRows.map((e) => [`${e.resourceId}:${e.day}`, e.hours]))
  const cells = new Map<string, ResourceDay>()
  for (const r of resources) {
    for (const day of dayList) {
      const windows = workingWindows(r, day, exceptions.get(`${r.id}:${day}`))
      const at = zonedDay(day, r.timezone)
      const openMinutes = windows.reduce((sum, [a, b]) => {
        const from = at(a) ?? at(a + 60)
        const to = at(b) ?? at(b + 60)
        return from && to && to > from ? sum + (to.getTime() - from.getTime()) / MINUTE : sum
      }, 0)
      cells.set(`${r.id}:${day}`, { day, resourceId: r.id, bookings: 0, done: 0, noShows: 0, cancelled: 0, bookedMinutes: 0, openMinutes: Math.round(openMinutes) })
    }
  }
  const busy = new Set<string>()
  for (const s of sessions) {
    const cell = cells.get(`${s.resourceId}:${localDay(s.startsAt, timezone)}`)
    if (!cell) continue
    if (s.status === 'cancelled') {
      cell.cancelled += s.seats
      continue
    }
    cell.bookings += s.seats
    if (s.status === 'done') cell.done += s.seats
    if (s.status === 'no_show') cell.noShows += s.seats
    // The resource was busy once per session, whatever the seats and their statuses.
    const session = `${s.resourceId}:${s.serviceId}:${s.startsAt.getTime()}`
    if (!busy.has(session)) {
      busy.add(session)
      cell.bookedMinutes += Math.round((s.endsAt.getTime() - s.startsAt.getTime()) / MINUTE)
    }
  }
  const rows = [...cells.values()].sort((a, b) => (a.day === b.day ? a.resourceId - b.resourceId : a.day < b.day ? -1 : 1))
  return { ...empty, rows, totals: totalsOf(rows) }
}

function totalsOf(rows: ResourceDay[]) {
  const sum = (pick: (r: ResourceDay) => number) => rows.reduce((s, r) => s + pick(r), 0)
  const bookedMinutes = sum((r) => r.bookedMinutes)
  const openMinutes = sum((r) => r.openMinutes)
  return { bookings: sum((r) => r.bookings), done: sum((r) => r.done), noShows: sum((r) => r.noShows), cancelled: sum((r) => r.cancelled), bookedMinutes, openMinutes, utilisation: openMinutes ? bookedMinutes / openMinutes : null }
}

export type BookingReport = Awaited<ReturnType<typeof bookingReport>>

/** The report as CSV: one line per resource and day, utilisation in percent. */
export async function bookingReportCsv(db: DbOrTx, query: BookingReportQuery, now = new Date()) {
  const report = await bookingReport(db, query, now)
  const names = new Map(report.resources.map((r) => [r.id, r.name.ru || r.name.en]))
  return toCsv([
    ['date', 'resource_id', 'resource', 'bookings', 'done', 'no_shows', 'cancelled', 'booked_minutes', 'open_minutes', 'utilisation_percent'],
    ...report.rows.map((r) => [r.day, String(r.resourceId), names.get(r.resourceId) ?? '', String(r.bookings), String(r.done), String(r.noShows), String(r.cancelled), String(r.bookedMinutes), String(r.openMinutes), r.openMinutes ? (Math.round((r.bookedMinutes / r.openMinutes) * 1000) / 10).toFixed(1) : '']),
  ])
}
