import { describe, expect, it } from 'vitest'
import { computeSlots, workingWindows } from '../../../../server/services/booking/slots'
import { localDay, zonedInstant } from '../../../../server/services/booking/time'
import type { bookingResources, bookingServices } from '../../../../server/db/schema/booking'

const every = (from: string, to: string) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [from, to] as [string, string]]))
const service = (over: Partial<typeof bookingServices.$inferSelect> = {}): typeof bookingServices.$inferSelect => ({
  id: 1, slug: 's', name: { ru: 's', en: 's' }, description: { ru: '', en: '' }, durationMinutes: 60, priceMinor: 0, currency: 'RUB', bufferBeforeMinutes: 0, bufferAfterMinutes: 0, capacity: 1,
  slotStepMinutes: 60, minNoticeMinutes: 0, horizonDays: 400, holdMinutes: 10, reminderOffsetsMinutes: [], cancelDeadlineMinutes: 0, isActive: true, createdAt: new Date(), updatedAt: new Date(), ...over,
})
const resource = (over: Partial<typeof bookingResources.$inferSelect> = {}): typeof bookingResources.$inferSelect => ({
  id: 7, slug: 'r', name: { ru: 'r', en: 'r' }, timezone: 'Europe/Berlin', workingHours: every('10:00', '13:00'), breaks: {}, isActive: true, createdAt: new Date(), updatedAt: new Date(), ...over,
})
const now = new Date('2026-01-01T00:00:00Z')
const starts = (days: ReturnType<typeof computeSlots>) => days.map((d) => d.slots.map((s) => s.startsAt.toISOString()))

describe('free slots follow the schedule in its own time zone', () => {
  it('keeps 10:00 local across the spring DST change (09:00 UTC before, 08:00 UTC after)', () => {
    const days = computeSlots({ service: service(), resources: [resource()], exceptions: new Map(), bookings: [], from: '2026-03-28', days: 2, now, timezone: 'Europe/Berlin' })
    expect(starts(days)).toEqual([
      ['2026-03-28T09:00:00.000Z', '2026-03-28T10:00:00.000Z', '2026-03-28T11:00:00.000Z'],
      ['2026-03-29T08:00:00.000Z', '2026-03-29T09:00:00.000Z', '2026-03-29T10:00:00.000Z'],
    ])
  })

  it('offers no start in the hour the clocks skip, and the repeated autumn hour once', () => {
    const night = resource({ workingHours: every('01:00', '04:00') })
    const spring = computeSlots({ service: service(), resources: [night], exceptions: new Map(), bookings: [], from: '2026-03-29', days: 1, now, timezone: 'Europe/Berlin' })
    // 02:00 does not exist on 29 March in Berlin.
    expect(spring[0]!.slots.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z'])
    expect(zonedInstant('2026-03-29', 150, 'Europe/Berlin')).toBeUndefined()
    expect(zonedInstant('2026-10-25', 150, 'Europe/Berlin')!.toISOString()).toBe('2026-10-25T00:30:00.000Z')
  })

  it('lists a day by the business zone for a customer far away; their app shows the same instants in their own zone', () => {
    const days = computeSlots({ service: service(), resources: [resource({ timezone: 'Europe/Moscow' })], exceptions: new Map(), bookings: [], from: '2026-06-10', days: 1, now, timezone: 'Europe/Moscow' })
    const first = days[0]!.slots[0]!.startsAt
    expect(first.toISOString()).toBe('2026-06-10T07:00:00.000Z')
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: '2-digit' }).format(first)).toBe('3:00 AM')
    expect(localDay(first, 'Asia/Tokyo')).toBe('2026-06-10')
  })

  it('applies breaks, days off, dated exceptions, buffers, capacity and notice', () => {
    const withBreak = resource({ workingHours: { ...every('10:00', '14:00'), 7: undefined as never }, breaks: { 3: [['11:00', '12:00']] } })
    expect(workingWindows(withBreak, '2026-06-10')).toEqual([[600, 660], [720, 840]]) // a Wednesday
    expect(workingWindows(withBreak, '2026-06-14')).toEqual([]) // Sunday: day off
    expect(workingWindows(withBreak, '2026-06-10', [])).toEqual([]) // a sick day
    const exceptions = new Map([['7:2026-06-11', [['15:00', '17:00']] as [string, string][]]])
    const days = computeSlots({ service: service(), resources: [withBreak], exceptions, bookings: [], from: '2026-06-10', days: 2, now, timezone: 'Europe/Berlin' })
    expect(starts(days)).toEqual([
      ['2026-06-10T08:00:00.000Z', '2026-06-10T10:00:00.000Z', '2026-06-10T11:00:00.000Z'],
      ['2026-06-11T13:00:00.000Z', '2026-06-11T14:00:00.000Z'],
    ])

    const klass = service({ id: 2, capacity: 3, bufferAfterMinutes: 30 })
    const nine = new Date('2026-06-10T08:00:00Z')
    const booked = [{ resourceId: 7, serviceId: 2, startsAt: nine, occupiedFrom: nine, occupiedTo: new Date('2026-06-10T09:30:00Z') }]
    const [day] = computeSlots({ service: klass, resources: [resource()], exceptions: new Map(), bookings: booked, from: '2026-06-10', days: 1, now, timezone: 'Europe/Berlin' })
    // The class at 10:00 has 2 seats left; 11:00 would overlap its buffer, 12:00 is free.
    expect(day!.slots.map((s) => [s.startsAt.toISOString(), s.seatsLeft])).toEqual([['2026-06-10T08:00:00.000Z', 2], ['2026-06-10T10:00:00.000Z', 3]])

    const soon = computeSlots({ service: service({ minNoticeMinutes: 90 }), resources: [resource()], exceptions: new Map(), bookings: [], from: '2026-06-10', days: 1, now: new Date('2026-06-10T07:00:00Z'), timezone: 'Europe/Berlin' })
    expect(starts(soon)).toEqual([['2026-06-10T09:00:00.000Z', '2026-06-10T10:00:00.000Z']])
  })
})
