import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../../server/composition-root'
import type { DatabaseHandle } from '../../../../server/db/client'
import { rowsOf } from '../../../../server/db/results'
import { bookingResources, bookingServices, users } from '../../../../server/db/schema'
import { bookingWorkers } from '../../../../server/jobs/booking'
import { confirmBooking, findFreeSlots, getBooking, holdSlot, moveBookingAsStaff } from '../../../../server/services/booking'
import { createBookingAsStaff, createBookingService, deleteResourceException, listResourcesForAdmin, listServicesForAdmin, putResourceException, updateBookingResource, updateBookingService } from '../../../../server/services/booking/admin'
import { addDays, isoWeekday, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

/**
 * The operator's side of booking: editing services, weeks and dated exceptions (never silently
 * orphaning a confirmed booking), moving a booking (refused on a taken slot; reminders re-planned
 * and the customer told in the chat) and booking for a customer.
 */
let handle: DatabaseHandle
let services: TestServices
const ids: Record<string, number> = {}
const TZ = 'Europe/Moscow'
const day = addDays(localDay(new Date(), TZ), 6)
const weekday = String(isoWeekday(day))
const at = (hhmm: string, d = day) => new Date(`${d}T${hhmm}:00+03:00`)
const CUSTOMERS = [710_001, 710_002, 710_003, 710_004]
let owner: ReturnType<TestServices['staff']>
let keyN = 0
const key = () => `admin-test-${++keyN}`

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  await seedDemoData(handle.db, { people: true })
  for (const s of await handle.db.select().from(bookingServices)) ids[s.slug] = s.id
  for (const r of await handle.db.select().from(bookingResources)) ids[r.slug] = r.id
  await handle.db.insert(users).values([...CUSTOMERS.map((telegramId, i) => ({ telegramId, firstName: `Client ${i}`, languageCode: i % 2 ? 'en' : 'ru' })), { telegramId: 9_100_000_001, firstName: 'Owner' }, { telegramId: 9_100_000_002, firstName: 'Operator' }])
  owner = services.staff(9_100_000_001, ['owner'])
}, 60_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const logger = createLogger({ level: 'silent' })
async function workNotices(bookingId: number) {
  const worker = bookingWorkers.find((w) => w.definition.name === 'booking.notice')!
  for (const job of await services.queued('booking.notice')) {
    if (job.data.bookingId === bookingId) await worker.handle(job.data, { services: services as unknown as AppServices, job: { id: 'x', name: 'booking.notice', data: job.data } as never, logger })
  }
}
const audit = async (entityType: string, entityId: number) =>
  rowsOf<{ action: string; before: unknown; after: unknown }>(await handle.db.execute(sql`select action, before, after from audit_entries where entity_type = ${entityType} and entity_id = ${String(entityId)} order by id`))
async function book(customer: number, service: string, hhmm: string, resource = ids.anna) {
  const { booking } = await holdSlot(services.customer(customer), { serviceId: ids[service]!, resourceId: resource, startsAt: at(hhmm) }, key())
  await confirmBooking(services.customer(customer), booking.id)
  return booking.id
}
const slotTimes = async (service: string, resource: number, d = day) =>
  (await findFreeSlots(handle.db, { service, resource, from: d, days: 1 })).days[0]!.slots.map((s) => new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit' }).format(s.startsAt))

describe(`booking editors and staff moves on ${engine}`, () => {
  it('creates a service performed by Anna that customers can book at once, then hides it; audited', async () => {
    const input = {
      slug: 'espresso-tuning',
      name: { ru: 'Настройка помола', en: 'Grinder tuning' },
      description: { ru: '', en: '' },
      durationMinutes: 45,
      priceMinor: 200_000,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      capacity: 1,
      slotStepMinutes: 60,
      minNoticeMinutes: 60,
      horizonDays: 30,
      holdMinutes: 10,
      reminderOffsetsMinutes: [60],
      cancelDeadlineMinutes: 180,
      isActive: true,
      resourceIds: [ids.anna!],
    }
    const created = await createBookingService(owner, input)
    expect(created).toMatchObject({ slug: 'espresso-tuning', resourceIds: [ids.anna] })
    expect(await slotTimes('espresso-tuning', ids.anna!)).toEqual(['10:00', '11:00', '12:00', '13:00', '15:00', '16:00', '17:00', '18:00'])
    await expect(createBookingService(owner, input)).rejects.toMatchObject({ code: 'conflict', status: 409 })

    const edited = await updateBookingService(owner, created.id, { durationMinutes: 90, resourceIds: [ids.anna!, ids.ivan!] })
    expect(edited).toMatchObject({ durationMinutes: 90, resourceIds: [ids.anna, ids.ivan].sort((a, b) => a! - b!) })
    expect(await slotTimes('espresso-tuning', ids.anna!)).toEqual(['10:00', '11:00', '12:00', '15:00', '16:00', '17:00'])
    await updateBookingService(owner, created.id, { isActive: false })
    await expect(findFreeSlots(handle.db, { service: 'espresso-tuning', days: 1 })).rejects.toMatchObject({ code: 'not_found' })
    expect((await listServicesForAdmin(handle.db)).find((s) => s.id === created.id)).toMatchObject({ isActive: false, durationMinutes: 90 })
    const entries = await audit('booking_service', created.id)
    expect(entries.map((e) => e.action)).toEqual(['booking_service.create', 'booking_service.update', 'booking_service.update'])
    expect(entries[1]).toMatchObject({ before: { durationMinutes: 45 }, after: { durationMinutes: 90 } })
    await expect(updateBookingService(owner, 999_999, { isActive: true })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('edits the prepayment, refund deadline and waitlist offer time; a method without an amount (or the other way) is a 400', async () => {
    const service = (await listServicesForAdmin(handle.db)).find((s) => s.prepaymentMethod === null)!
    const edited = await updateBookingService(owner, service.id, { prepaymentMethod: 'stars', prepaymentMinor: 150, refundDeadlineMinutes: 360, waitlistOfferMinutes: 20 })
    expect(edited).toMatchObject({ prepaymentMethod: 'stars', prepaymentMinor: 150, refundDeadlineMinutes: 360, waitlistOfferMinutes: 20 })
    // Only the amount changes: the stored method still counts.
    expect(await updateBookingService(owner, service.id, { prepaymentMinor: 200 })).toMatchObject({ prepaymentMethod: 'stars', prepaymentMinor: 200 })
    await expect(updateBookingService(owner, service.id, { prepaymentMinor: 0 })).rejects.toMatchObject({ code: 'validation_failed', status: 400 })
    await expect(updateBookingService(owner, service.id, { prepaymentMethod: null })).rejects.toMatchObject({ code: 'validation_failed', status: 400 })
    expect(await updateBookingService(owner, service.id, { prepaymentMethod: null, prepaymentMinor: 0 })).toMatchObject({ prepaymentMethod: null, prepaymentMinor: 0 })
    const entries = await audit('booking_service', service.id)
    expect(entries.at(-1)).toMatchObject({ before: { prepaymentMethod: 'stars' }, after: { prepaymentMethod: null } })
  })

  it('refuses a move into an occupied slot with slot_taken, and leaves the booking where it was', async () => {
    const first = await book(CUSTOMERS[0]!, 'latte-art', '10:00')
    const second = await book(CUSTOMERS[1]!, 'latte-art', '12:30')
    const operator = services.staff(9_100_000_002, ['operator'])
    await expect(moveBookingAsStaff(operator, first, { startsAt: at('12:30'), resourceId: ids.anna })).rejects.toMatchObject({ code: 'slot_taken', status: 409 })
    // Overlapping the other booking's buffer is refused too (12:30 + 90 min + 15 min clean-up).
    await expect(moveBookingAsStaff(operator, first, { startsAt: at('11:30'), resourceId: ids.anna })).rejects.toMatchObject({ code: 'slot_taken' })
    expect((await getBooking(handle.db, first)).startsAt.toISOString()).toBe(at('10:00').toISOString())
    expect((await getBooking(handle.db, second)).status).toBe('confirmed')
  })

  it('moves a booking for the customer: reminders re-planned for the new start and the customer told in the chat', async () => {
    const id = await book(CUSTOMERS[2]!, 'latte-art', '15:00')
    await workNotices(id)
    const before = (await services.queued('booking.reminder')).filter((j) => j.data.bookingId === id)
    expect(before.map((j) => j.data.startsAt)).toEqual([at('15:00').toISOString(), at('15:00').toISOString()])
    const operator = services.staff(9_100_000_002, ['operator'])
    const moved = await moveBookingAsStaff(operator, id, { startsAt: at('17:30'), resourceId: ids.anna })
    expect(moved.startsAt.toISOString()).toBe(at('17:30').toISOString())
    const after = (await services.queued('booking.reminder')).filter((j) => j.data.bookingId === id).sort((a, b) => a.startAfter.getTime() - b.startAfter.getTime())
    expect(after.map((j) => [j.data.offsetMinutes, j.data.startsAt])).toEqual([
      [1440, at('17:30').toISOString()],
      [180, at('17:30').toISOString()],
    ])
    expect(after.map((j) => j.startAfter.toISOString())).toEqual([new Date(at('17:30').getTime() - 1440 * 60_000).toISOString(), new Date(at('17:30').getTime() - 180 * 60_000).toISOString()])
    await workNotices(id)
    const messages = services.fake.chatMessages(CUSTOMERS[2]!).map((m) => String(m.text))
    expect(messages.at(-1)).toContain('17:30')
    expect((await audit('booking', id)).map((e) => e.action)).toEqual(['booking.move'])
  })

  it("refuses a change of Anna's week that leaves a confirmed booking outside, then keeps or cancels it as told", async () => {
    // The demo's cupping takes a prepayment; booked here without one, as a business that takes none.
    await updateBookingService(owner, ids.cupping!, { prepaymentMethod: null, prepaymentMinor: 0 })
    const late = (await getBooking(handle.db, (await book(CUSTOMERS[3]!, 'cupping', '16:00')))).id
    const week = (await listResourcesForAdmin(handle.db)).find((r) => r.id === ids.anna)!.workingHours
    const shorter = { ...week, [weekday]: ['10:00', '16:30'] as [string, string] }
    // The 17:30 latte art and the 16:00 cupping no longer fit a day that ends at 16:30.
    const refused = await updateBookingResource(owner, ids.anna!, { workingHours: shorter }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ code: 'schedule_conflict', status: 409 })
    const listed = (refused as { details: { bookings: { id: number; startsAt: string }[] } }).details.bookings
    expect(listed.map((b) => b.startsAt)).toEqual([at('16:00').toISOString(), at('17:30').toISOString()])
    expect((await listResourcesForAdmin(handle.db)).find((r) => r.id === ids.anna)!.workingHours[weekday]).toEqual(['10:00', '19:00'])

    const kept = await updateBookingResource(owner, ids.anna!, { workingHours: shorter, onConflict: 'keep' })
    expect(kept.kept).toHaveLength(2)
    expect((await getBooking(handle.db, late)).status).toBe('confirmed')
    expect(await slotTimes('latte-art', ids.anna!)).not.toContain('16:00')

    // A sick day that day: the operator chooses to cancel, and every customer is told.
    const sick = await putResourceException(owner, ids.anna!, day, { hours: [], note: 'sick', onConflict: 'cancel' })
    expect(sick.cancelled.length).toBeGreaterThanOrEqual(3)
    expect((await getBooking(handle.db, late)).status).toBe('cancelled')
    expect((await services.queued('booking.notice')).filter((j) => j.data.bookingId === late).map((j) => j.data.notice)).toContain('cancelled')
    expect(await slotTimes('latte-art', ids.anna!)).toEqual([])
    expect((await audit('booking_resource', ids.anna!)).map((e) => e.action)).toEqual(['booking_resource.update', 'booking_exception.set'])

    await deleteResourceException(owner, ids.anna!, day, 'check')
    await updateBookingResource(owner, ids.anna!, { workingHours: week })
    expect(await slotTimes('latte-art', ids.anna!)).toContain('17:30')
    await expect(deleteResourceException(owner, ids.anna!, day, 'check')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('an exception with other hours that day refuses to drop a booking unless told', async () => {
    const d = addDays(day, 1)
    const { booking } = await holdSlot(services.customer(CUSTOMERS[0]!), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt: at('17:00', d) }, key())
    await confirmBooking(services.customer(CUSTOMERS[0]!), booking.id)
    await expect(putResourceException(owner, ids.anna!, d, { hours: [['10:00', '15:00']], onConflict: 'check' })).rejects.toMatchObject({ code: 'schedule_conflict' })
    expect(await slotTimes('latte-art', ids.anna!, d)).toContain('15:00')
    await putResourceException(owner, ids.anna!, d, { hours: [['10:00', '18:30']], onConflict: 'check' })
    expect(await slotTimes('latte-art', ids.anna!, d)).not.toContain('18:00')
  })

  it('books for a customer: confirmed at once, told in the chat, reminders planned; a retry is the same booking', async () => {
    const operator = services.staff(9_100_000_002, ['operator'])
    const input = { customerId: CUSTOMERS[1]!, serviceId: ids['table-8']!, resourceId: ids['window-table']!, startsAt: at('13:00') }
    const booking = await createBookingAsStaff(operator, input, 'desk-1')
    expect(booking).toMatchObject({ status: 'confirmed', userId: CUSTOMERS[1] })
    expect((await createBookingAsStaff(operator, input, 'desk-1')).id).toBe(booking.id)
    expect((await services.queued('booking.reminder')).filter((j) => j.data.bookingId === booking.id)).toHaveLength(2)
    await workNotices(booking.id)
    expect(services.fake.chatMessages(CUSTOMERS[1]!).at(-1)?.text).toContain('13:00')
    await expect(createBookingAsStaff(operator, { ...input, customerId: CUSTOMERS[2]! }, 'desk-2')).rejects.toMatchObject({ code: 'slot_taken' })
    await expect(createBookingAsStaff(operator, { ...input, customerId: 123 }, 'desk-3')).rejects.toMatchObject({ code: 'not_found' })
    expect((await getBooking(handle.db, booking.id)).history.map((h) => h.action)).toEqual(['booked_by_staff'])
    expect((await audit('booking', booking.id)).map((e) => e.action)).toEqual(['booking.create'])
    const customerRow = await handle.db.select().from(users).where(eq(users.telegramId, CUSTOMERS[1]!))
    expect(customerRow).toHaveLength(1)
  })
})
