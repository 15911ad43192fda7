/**
 * Wall-clock time in a named zone, without a date library: Intl knows every zone's offsets, so a
 * local time is turned into an instant by asking which offset applies there (DST included), never
 * by adding hours to milliseconds.
 */
import { dateTimeFormat } from '#shared/intl'

const partsFormatter = (timeZone: string) => dateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** The zone's offset from UTC at `instant`, in minutes (Moscow: 180). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(instant).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000)
}

/** Whether `timeZone` is a zone Intl knows. */
export function isKnownTimeZone(timeZone: string) {
  try {
    partsFormatter(timeZone)
    return true
  } catch {
    return false
  }
}

/**
 * The instant when the clocks in `timeZone` show `day` `minutes` after midnight. A time skipped by
 * a spring-forward change does not exist: undefined (no slot is offered there). A time repeated
 * in autumn is its first occurrence.
 */
export function zonedInstant(day: string, minutes: number, timeZone: string): Date | undefined {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d, 0, minutes)
  // Candidates from the offsets a day around that wall time; the earliest that reads back as asked wins.
  const candidates = [-86_400_000, 0, 86_400_000].map((shift) => wall - zoneOffsetMinutes(new Date(wall + shift), timeZone) * 60000).sort((a, b) => a - b)
  for (const c of candidates) if (c + zoneOffsetMinutes(new Date(c), timeZone) * 60000 === wall) return new Date(c)
  return undefined
}

/**
 * `zonedInstant` for many times of one local day: when the zone keeps one offset across the whole
 * day (every day but the few with a clock change), each time is plain arithmetic on that offset;
 * on a change day each goes through `zonedInstant`. Two Intl lookups per day instead of several
 * per slot.
 */
export function zonedDay(day: string, timeZone: string): (minutes: number) => Date | undefined {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const midnight = Date.UTC(y, m - 1, d)
  // Wide enough for any zone (UTC-12 .. UTC+14) to cover the local day.
  const before = zoneOffsetMinutes(new Date(midnight - 15 * 3600_000), timeZone)
  const after = zoneOffsetMinutes(new Date(midnight + 39 * 3600_000), timeZone)
  if (before !== after) return (minutes) => zonedInstant(day, minutes, timeZone)
  return (minutes) => new Date(midnight + (minutes - before) * 60_000)
}

/** The local calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(instant).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}`
}

/** Minutes after local midnight of `instant` in `timeZone`. */
export function localMinutes(instant: Date, timeZone: string): number {
  const p = Object.fromEntries(partsFormatter(timeZone).formatToParts(instant).map((x) => [x.type, x.value]))
  return Number(p.hour) * 60 + Number(p.minute)
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** ISO weekday of a calendar date: 1 = Monday .. 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay()
  return w === 0 ? 7 : w
}

/** "09:30" -> 570; anything unreadable -> NaN. */
export function hhmmToMinutes(value: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value)
  if (!match) return Number.NaN
  const minutes = Number(match[1]) * 60 + Number(match[2])
  return minutes <= 24 * 60 ? minutes : Number.NaN
}

/** Intervals `[from, to)` in minutes minus the `cuts`, in order. */
export function subtractIntervals(windows: [number, number][], cuts: [number, number][]): [number, number][] {
  let result = windows.filter(([a, b]) => a < b)
  for (const [ca, cb] of cuts) {
    result = result.flatMap(([a, b]): [number, number][] => {
      if (cb <= a || ca >= b) return [[a, b]]
      const parts: [number, number][] = []
      if (ca > a) parts.push([a, ca])
      if (cb < b) parts.push([cb, b])
      return parts
    })
  }
  return result.sort((x, y) => x[0] - y[0])
}
