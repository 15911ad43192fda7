import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { rowsOf } from '../../../../server/db/results'
import { bookingResources, bookingServices, bookings, users } from '../../../../server/db/schema'
import { cancelBookingAsCustomer, confirmBooking, expireHolds, findFreeSlots, getBooking, holdSlot, moveBookingAsStaff, rescheduleBookingAsCustomer, setBookingStatusAsStaff } from '../../../../server/services/booking'
import { addDays, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { DomainError } from '../../../../server/utils/errors'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
const ids: Record<string, number> = {}
const TZ = 'Europe/Moscow'
/** A day a week ahead, so reminders 24 h and 2 h before are all in the future. */
const day = addDays(localDay(new Date(), TZ), 7)

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: true })
  for (const s of await handle.db.select().from(bookingServices)) ids[s.slug] = s.id
  for (const r of await handle.db.select().from(bookingResources)) ids[r.slug] = r.id
  await handle.db.insert(users).values(Array.from({ length: 220 }, (_, i) => ({ telegramId: 500_000 + i, firstName: `Guest ${i}` }))).onConflictDoNothing()
}, 60_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const guest = (i: number) => services.customer(500_000 + i)
let keyCounter = 0
const key = () => `test-key-${++keyCounter}-${Date.now()}`
async function slotsOf(service: string, resource?: number) {
  const { days } = await findFreeSlots(handle.db, { service, resource, from: day, days: 1 })
  return days[0]!.slots
}
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+03:00`)
/** Deadlocks PostgreSQL broke in this database so far (its statistics reach the view within a second of the error); 0 on PGlite, one connection. */
async function deadlocks() {
  if (engine !== 'postgres') return 0
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql`select deadlocks::int as n from pg_stat_database where datname = current_database()`))
  return row!.n
}

describe(`booking on ${engine}`, () => {
  it("offers Anna's latte-art slots around her lunch break and none on Ivan's day off", async () => {
    const slots = await slotsOf('latte-art', ids.anna)
    const local = slots.map((s) => new Intl.DateTimeFormat('ru-RU', { timeZone: TZ, hour: '2-digit', minute: '2-digit' }).format(s.startsAt))
    expect(local[0]).toBe('10:00')
    expect(local).toContain('12:30') // ends 14:00, the break starts
    expect(local).not.toContain('13:00')
    expect(local).toContain('15:00')
    expect(local.at(-1)).toBe('17:30') // ends 19:00
    let monday = day
    while (new Date(`${monday}T00:00:00Z`).getUTCDay() !== 1) monday = addDays(monday, 1)
    const { days } = await findFreeSlots(handle.db, { service: 'cupping', resource: ids.ivan, from: monday, days: 1 })
    expect(days[0]!.slots).toEqual([])
  })

  it('gives one of 200 concurrent attempts at a one-person slot the booking, and the rest a 409 with alternatives', async () => {
    const startsAt = at('10:00')
    const deadlocksBefore = await deadlocks()
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => holdSlot(guest(i), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt }, key())))
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost.every((r) => r.reason instanceof DomainError && r.reason.code === 'slot_taken')).toBe(true)
    const alternatives = (lost[0]!.reason as DomainError).details as { alternatives: { startsAt: string }[] }
    expect(alternatives.alternatives.length).toBeGreaterThan(0)
    expect(alternatives.alternatives.map((a) => a.startsAt)).not.toContain(startsAt.toISOString())
    const [{ count }] = rowsOf<{ count: number }>(await handle.db.execute(sql`select count(*)::int as count from bookings where service_id = ${ids['latte-art']} and starts_at = ${startsAt.toISOString()}::timestamptz and status in ('held', 'confirmed')`)) as [{ count: number }]
    expect(count).toBe(1)
    // Claims on one resource take turns: none waited for PostgreSQL's deadlock detector (a second
    // each), which on a busy machine once turned this race into minutes.
    expect(await deadlocks()).toBe(deadlocksBefore)
  }, 120_000)

  it('fills a class with exactly its capacity under concurrency', async () => {
    const startsAt = at('16:00')
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => holdSlot(guest(i), { serviceId: ids['barista-basics']!, resourceId: ids.anna, startsAt }, key())))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4)
    const seats = await handle.db.select({ seat: bookings.seat }).from(bookings).where(eq(bookings.startsAt, startsAt))
    expect(seats.map((s) => s.seat).sort()).toEqual([1, 2, 3, 4])
    expect((await slotsOf('barista-basics', ids.anna)).map((s) => s.startsAt.toISOString())).not.toContain(startsAt.toISOString())
  }, 60_000)

  it('refuses an overlapping booking in the database itself, whatever the service layer does', async () => {
    const [existing] = await handle.db.select().from(bookings).where(eq(bookings.startsAt, at('10:00')))
    const { id: _id, createdAt: _c, updatedAt: _u, ...copy } = existing!
    await expect(handle.db.insert(bookings).values({ ...copy, userId: 500_199, idempotencyKey: 'sneaky' })).rejects.toMatchObject({ cause: { code: '23P01' } })
    // Another service on the same resource half an hour later overlaps too.
    await expect(handle.db.insert(bookings).values({ ...copy, serviceId: ids.cupping!, userId: 500_199, idempotencyKey: 'sneaky-2', startsAt: at('10:30'), occupiedFrom: at('10:15'), endsAt: at('11:30'), occupiedTo: at('11:30') })).rejects.toMatchObject({ cause: { code: '23P01' } })
  })

  it('frees the slot when a hold expires, and the next customer gets it', async () => {
    const startsAt = at('12:00')
    const { booking: hold } = await holdSlot(guest(10), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt }, key())
    expect(hold.status).toBe('held')
    expect((await services.queued('booking.expire-holds')).some((j) => j.data.bookingId === hold.id)).toBe(true)
    await expect(holdSlot(guest(11), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt }, key())).rejects.toMatchObject({ code: 'slot_taken' })
    await handle.db.update(bookings).set({ holdExpiresAt: new Date(Date.now() - 1000) }).where(eq(bookings.id, hold.id))
    expect((await slotsOf('latte-art', ids.anna)).map((s) => s.startsAt.getTime())).toContain(startsAt.getTime())
    const { booking: next } = await holdSlot(guest(11), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt }, key())
    expect(next.status).toBe('held')
    expect((await getBooking(handle.db, hold.id)).status).toBe('expired')
    await expect(confirmBooking(guest(10), hold.id)).rejects.toMatchObject({ code: 'hold_expired' })
    expect(await expireHolds(services.system())).toEqual([])
  })

  it('confirms with the chat confirmation and reminders 24 h and 2 h before; a reschedule re-plans them, a cancel drops them', async () => {
    const startsAt = at('15:00')
    // Confirmed by the customer's tap here: the demo's Stars prepayment of the cupping is tested in prepay-waitlist.test.ts.
    await handle.db.update(bookingServices).set({ prepaymentMethod: null, prepaymentMinor: 0 }).where(eq(bookingServices.id, ids['cupping']!))
    const { booking: hold } = await holdSlot(guest(20), { serviceId: ids['cupping']!, startsAt }, key())
    const confirmed = await confirmBooking(guest(20), hold.id)
    expect(confirmed.status).toBe('confirmed')
    const reminders = () => services.queued('booking.reminder').then((jobs) => jobs.filter((j) => j.data.bookingId === hold.id).sort((a, b) => a.startAfter.getTime() - b.startAfter.getTime()))
    expect((await reminders()).map((j) => [j.startAfter.toISOString(), j.data.offsetMinutes])).toEqual([
      [new Date(startsAt.getTime() - 24 * 3600_000).toISOString(), 1440],
      [new Date(startsAt.getTime() - 2 * 3600_000).toISOString(), 120],
    ])
    expect((await services.queued('booking.notice')).filter((j) => j.data.bookingId === hold.id).map((j) => j.data.notice)).toEqual(['confirmed'])

    const later = at('17:00')
    const moved = await rescheduleBookingAsCustomer(guest(20), hold.id, { startsAt: later })
    expect(moved.startsAt.toISOString()).toBe(later.toISOString())
    expect((await reminders()).map((j) => j.startAfter.toISOString())).toEqual([new Date(later.getTime() - 24 * 3600_000).toISOString(), new Date(later.getTime() - 2 * 3600_000).toISOString()])
    expect(moved.history.map((h) => h.action)).toEqual(['held', 'confirmed', 'rescheduled'])
    // The old time is free again, the new one taken.
    const free = (await slotsOf('cupping')).map((s) => s.startsAt.getTime())
    expect(free).toContain(startsAt.getTime())

    await cancelBookingAsCustomer(guest(20), hold.id)
    expect(await reminders()).toEqual([])
    expect((await services.queued('booking.notice')).filter((j) => j.data.bookingId === hold.id).map((j) => j.data.notice)).toEqual(['confirmed', 'rescheduled', 'cancelled'])
  })

  it('lets staff move a booking and mark a no-show, audited; refuses a customer past the deadline', async () => {
    const { booking: hold } = await holdSlot(guest(30), { serviceId: ids['table-8']!, startsAt: at('18:00') }, key())
    await confirmBooking(guest(30), hold.id)
    const operator = services.staff(9_000_000_010, ['operator'])
    const moved = await moveBookingAsStaff(operator, hold.id, { startsAt: at('19:00') })
    expect(moved.history.at(-1)).toMatchObject({ action: 'rescheduled', actorKind: 'staff' })
    const done = await setBookingStatusAsStaff(operator, hold.id, 'no_show')
    expect(done.status).toBe('no_show')
    const audit = rowsOf<{ action: string }>(await handle.db.execute(sql`select action from audit_entries where entity_type = 'booking' and entity_id = ${String(hold.id)} order by id`))
    expect(audit.map((a) => a.action)).toEqual(['booking.move', 'booking.status'])

    const { booking: close } = await holdSlot(guest(31), { serviceId: ids['table-8']!, startsAt: at('12:00') }, key(), new Date(at('12:00').getTime() - 3 * 3600_000))
    await confirmBooking(guest(31), close.id)
    await expect(cancelBookingAsCustomer(guest(31), close.id, new Date(at('12:00').getTime() - 30 * 60_000))).rejects.toMatchObject({ code: 'change_deadline_passed' })
  })

  it('answers a retried hold with the same booking, and keeps one customer from hoarding holds', async () => {
    const k = key()
    const first = await holdSlot(guest(40), { serviceId: ids['table-8']!, startsAt: at('08:00') }, k)
    const again = await holdSlot(guest(40), { serviceId: ids['table-8']!, startsAt: at('08:00') }, k)
    expect(again).toMatchObject({ created: false, booking: { id: first.booking.id } })
    await holdSlot(guest(40), { serviceId: ids['table-8']!, startsAt: at('10:00') }, key())
    await holdSlot(guest(40), { serviceId: ids['table-8']!, startsAt: at('14:00') }, key())
    await expect(holdSlot(guest(40), { serviceId: ids['table-8']!, startsAt: at('16:00') }, key())).rejects.toMatchObject({ code: 'too_many_holds' })
  })
})
