import type { bookingResources, bookingServices, bookings } from '../../db/schema/booking'
import { addDays, hhmmToMinutes, isoWeekday, localDay, subtractIntervals, zonedDay } from './time'

type Service = typeof bookingServices.$inferSelect
type Resource = typeof bookingResources.$inferSelect
type Booking = Pick<typeof bookings.$inferSelect, 'resourceId' | 'serviceId' | 'startsAt' | 'occupiedFrom' | 'occupiedTo'>

/** One start time of a service and who can take it there (with free seats each). */
export interface Slot {
  startsAt: Date
  endsAt: Date
  /** Resources free at this time, each with its seats left (capacity minus this session's bookings). */
  resources: { resourceId: number; seatsLeft: number }[]
  seatsLeft: number
}

export interface DaySlots {
  /** Local date in the business's zone. */
  date: string
  slots: Slot[]
  /** Starts whose session of this service is fully booked (every seat taken): a customer may wait for one of them. */
  full: Date[]
}

const MINUTE = 60_000

const toPairs = (hours: [string, string][] | undefined): [number, number][] => (hours ?? []).map(([a, b]) => [hhmmToMinutes(a), hhmmToMinutes(b)] as [number, number]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && a < b)

/** A resource's working windows on a local date: the dated exception when there is one, else its week minus breaks. */
export function workingWindows(resource: Pick<Resource, 'workingHours' | 'breaks'>, day: string, exception?: [string, string][]): [number, number][] {
  if (exception) return toPairs(exception)
  const weekday = String(isoWeekday(day))
  const hours = resource.workingHours[weekday]
  if (!hours) return []
  return subtractIntervals(toPairs([hours]), toPairs(resource.breaks?.[weekday]))
}

/** Where a booking of `service` starting at `startsAt` sits: the appointment and the time it keeps the resource busy. */
export function occupancy(service: Pick<Service, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>, startsAt: Date) {
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * MINUTE)
  return { startsAt, endsAt, occupiedFrom: new Date(startsAt.getTime() - service.bufferBeforeMinutes * MINUTE), occupiedTo: new Date(endsAt.getTime() + service.bufferAfterMinutes * MINUTE) }
}

/**
 * How many seats of `service` at `startsAt` are free on a resource given its active bookings:
 * 0 when anything else (another service or another start) overlaps the occupied time, else
 * capacity minus this session's bookings. The same rule the EXCLUDE constraints enforce.
 */
export function seatsLeftAt(service: Pick<Service, 'id' | 'capacity' | 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>, startsAt: Date, resourceBookings: readonly Booking[]) {
  return freeSeats(service, startsAt.getTime(), resourceBookings.map(toSpan))
}

/** A booking as plain numbers: comparing Date objects costs a conversion each time, and this runs for every candidate start. */
interface Span { from: number; to: number; start: number; serviceId: number }
const toSpan = (b: Booking): Span => ({ from: b.occupiedFrom.getTime(), to: b.occupiedTo.getTime(), start: b.startsAt.getTime(), serviceId: b.serviceId })

/** Whether every overlapping booking is this very session and together they fill it: a full class, not a busy resource. */
function sessionFull(service: Pick<Service, 'id' | 'capacity' | 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>, start: number, spans: readonly Span[]) {
  const from = start - service.bufferBeforeMinutes * MINUTE
  const to = start + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE
  let taken = 0
  for (const b of spans) {
    if (b.from >= to || b.to <= from) continue
    if (b.serviceId !== service.id || b.start !== start) return false
    taken++
  }
  return taken >= service.capacity
}

function freeSeats(service: Pick<Service, 'id' | 'capacity' | 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>, start: number, spans: readonly Span[]) {
  const from = start - service.bufferBeforeMinutes * MINUTE
  const to = start + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE
  let taken = 0
  for (const b of spans) {
    if (b.from >= to || b.to <= from) continue
    if (b.serviceId !== service.id || b.start !== start) return 0
    taken++
  }
  return Math.max(0, service.capacity - taken)
}

/**
 * Free start times of a service for `days` local dates from `from` (in the business's zone):
 * each resource's working windows that day (exceptions, breaks and days off applied) in its own
 * zone, stepped by the service's slot step; only starts where the whole appointment fits the
 * window, after the minimum notice and within the horizon, with a free seat. Local times become
 * instants through the zone's rules, so a DST change moves nothing by an hour.
 */
export function computeSlots(input: {
  service: Service
  resources: readonly Resource[]
  /** `${resourceId}:${day}` -> hours of a dated exception. */
  exceptions: ReadonlyMap<string, [string, string][]>
  bookings: readonly Booking[]
  from: string
  days: number
  now: Date
  timezone: string
}): DaySlots[] {
  const { service, now } = input
  const earliest = now.getTime() + service.minNoticeMinutes * MINUTE
  const latest = now.getTime() + service.horizonDays * 24 * 60 * MINUTE
  const byResource = new Map<number, Span[]>()
  for (const b of input.bookings) {
    const list = byResource.get(b.resourceId)
    if (list) list.push(toSpan(b))
    else byResource.set(b.resourceId, [toSpan(b)])
  }
  const perDay = new Map<string, Map<number, Slot>>()
  const fullPerDay = new Map<string, Map<number, Date>>()
  const dayList = Array.from({ length: input.days }, (_, i) => addDays(input.from, i))
  for (const day of dayList) perDay.set(day, new Map())

  for (const resource of input.resources) {
    const own = byResource.get(resource.id) ?? []
    // A resource in another zone than the business: look one day either side and keep what falls on the business's dates.
    const resourceDays = resource.timezone === input.timezone ? dayList : [addDays(input.from, -1), ...dayList, addDays(input.from, input.days)]
    for (const day of resourceDays) {
      const windows = workingWindows(resource, day, input.exceptions.get(`${resource.id}:${day}`))
      if (!windows.length) continue
      const instantAt = zonedDay(day, resource.timezone)
      for (const [open, close] of windows) {
        const firstStart = Math.ceil(open / service.slotStepMinutes) * service.slotStepMinutes
        for (let minute = firstStart; minute + service.durationMinutes <= close; minute += service.slotStepMinutes) {
          const startsAt = instantAt(minute)
          if (!startsAt || startsAt.getTime() < earliest || startsAt.getTime() > latest) continue
          const seatsLeft = freeSeats(service, startsAt.getTime(), own)
          const businessDay = resource.timezone === input.timezone ? day : localDay(startsAt, input.timezone)
          if (seatsLeft === 0) {
            if (sessionFull(service, startsAt.getTime(), own)) {
              const full = fullPerDay.get(businessDay) ?? new Map<number, Date>()
              full.set(startsAt.getTime(), startsAt)
              fullPerDay.set(businessDay, full)
            }
            continue
          }
          const slots = perDay.get(businessDay)
          if (!slots) continue
          const slot = slots.get(startsAt.getTime()) ?? { startsAt, endsAt: occupancy(service, startsAt).endsAt, resources: [], seatsLeft: 0 }
          slot.resources.push({ resourceId: resource.id, seatsLeft })
          slot.seatsLeft += seatsLeft
          slots.set(startsAt.getTime(), slot)
        }
      }
    }
  }
  return dayList.map((date) => {
    const slots = perDay.get(date)!
    // A start free on another resource is not full: the customer can simply book it there.
    const full = [...(fullPerDay.get(date)?.entries() ?? [])].filter(([time]) => !slots.has(time)).map(([, at]) => at)
    return { date, slots: [...slots.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()), full: full.sort((a, b) => a.getTime() - b.getTime()) }
  })
}
