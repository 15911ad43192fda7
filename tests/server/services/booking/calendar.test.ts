import { and, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, bookingCalendarFeeds, bookingResources, bookingServices, customerProfiles, users } from '../../../../server/db/schema'
import { cancelBookingAsCustomer, confirmBooking, getBooking, holdSlot, rescheduleBookingAsCustomer, setBookingStatusAsStaff } from '../../../../server/services/booking'
import { createCalendarFeed, createIcsLink, customerBookingIcs, findLiveFeed, foldLine, forgetIcsLinkSecret, resolveIcsLink, resourceFeedIcs, revokeCalendarFeed } from '../../../../server/services/booking/ical'
import { bookingReport, bookingReportCsv } from '../../../../server/services/booking/reports'
import { addDays, isoWeekday, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { parseCsv } from '../../../../server/utils/csv'
import type { DomainError } from '../../../../server/utils/errors'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

let handle: DatabaseHandle
let services: TestServices
const ids: Record<string, number> = {}
const TZ = 'Europe/Moscow'
/** A weekday 7-13 days ahead that is not Monday (Ivan's day off) nor the weekend. */
let day = addDays(localDay(new Date(), TZ), 7)
while (isoWeekday(day) > 5 || isoWeekday(day) === 1) day = addDays(day, 1)
const at = (hhmm: string, d = day) => new Date(`${d}T${hhmm}:00+03:00`)
const CUSTOMER = 610_001
const OTHER = 610_002
const OWNER = 610_100
let keyN = 0
const key = () => `cal-${++keyN}-${Date.now()}`

beforeAll(async () => {
  forgetIcsLinkSecret()
  handle = await createTestDatabase()
  services = await createTestServices(handle, { PUBLIC_URL: 'https://book.example.test' })
  await seedDemoData(handle.db, { people: true })
  for (const s of await handle.db.select().from(bookingServices)) ids[s.slug] = s.id
  for (const r of await handle.db.select().from(bookingResources)) ids[r.slug] = r.id
  await handle.db
    .insert(users)
    .values([
      { telegramId: CUSTOMER, firstName: 'Мария' },
      { telegramId: OTHER, firstName: 'Олег' },
      { telegramId: OWNER, firstName: 'Owner' },
    ])
    .onConflictDoNothing()
  await handle.db.insert(customerProfiles).values({ userId: CUSTOMER, phone: '+79990001122' }).onConflictDoNothing()
}, 180_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

async function book(userId: number, service: string, resource: string, startsAt: Date) {
  const { booking } = await holdSlot(services.customer(userId), { serviceId: ids[service]!, resourceId: ids[resource], startsAt }, key())
  return confirmBooking(services.customer(userId), booking.id)
}
const field = (ics: string, name: string) => ics.split('\r\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1)
const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

describe(`booking calendars on ${engine}`, () => {
  it('gives the customer one RFC 5545 event: stable UID, UTC times, the address, SEQUENCE up on a move, CANCELLED on cancel', async () => {
    const booked = await book(CUSTOMER, 'latte-art', 'anna', at('10:00'))
    const first = (await customerBookingIcs(handle.db, await getBooking(handle.db, booked.id), 'ru', services.config.publicUrl)).body
    expect(first.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true)
    expect(first.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(first).not.toMatch(/[^\r]\n/) // CRLF line ends only
    for (const line of first.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)
    expect(field(first, 'UID')).toBe(`booking-${booked.id}@book.example.test`)
    expect(field(first, 'DTSTART')).toBe(utc(at('10:00')))
    expect(field(first, 'DTSTART')).toMatch(/T070000Z$/) // 10:00 in Moscow is 07:00 UTC
    expect(field(first, 'DTEND')).toBe(utc(booked.endsAt))
    expect(field(first, 'SEQUENCE')).toBe('0')
    expect(field(first, 'STATUS')).toBe('CONFIRMED')
    expect(field(first, 'SUMMARY')).toContain('Латте-арт')
    // LOCATION carries the business's address with the commas escaped (RFC 5545 TEXT).
    expect(first.replace(/\r\n /g, '')).toContain('LOCATION:Москва\\, ул. Покровка\\, 17\\, стр. 1')

    await rescheduleBookingAsCustomer(services.customer(CUSTOMER), booked.id, { startsAt: at('11:00'), resourceId: ids.anna })
    const moved = (await customerBookingIcs(handle.db, await getBooking(handle.db, booked.id), 'en', services.config.publicUrl)).body
    expect(field(moved, 'UID')).toBe(`booking-${booked.id}@book.example.test`)
    expect(field(moved, 'SEQUENCE')).toBe('1')
    expect(field(moved, 'DTSTART')).toBe(utc(at('11:00')))
    expect(field(moved, 'SUMMARY')).toContain('Latte art')

    await cancelBookingAsCustomer(services.customer(CUSTOMER), booked.id)
    const cancelled = (await customerBookingIcs(handle.db, await getBooking(handle.db, booked.id), 'en', services.config.publicUrl)).body
    expect(field(cancelled, 'STATUS')).toBe('CANCELLED')
    expect(field(cancelled, 'SEQUENCE')).toBe('2')
  })

  it('folds long lines without splitting a character', () => {
    const line = `SUMMARY:${'Ж'.repeat(100)}`
    const folded = foldLine(line)
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75)
    expect(folded.split('\r\n').map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line)
  })

  it('signs a 5-minute download link for the owner only', async () => {
    const booked = await book(CUSTOMER, 'latte-art', 'anna', at('15:00'))
    const link = await createIcsLink(services.customer(CUSTOMER), booked.id, 'en')
    expect(link.url).toBe(`https://book.example.test${link.path}`)
    const token = link.path.split('/').pop()!
    const { booking, lang } = await resolveIcsLink(handle.db, token, null)
    expect([booking.id, lang]).toEqual([booked.id, 'en'])
    expect((await resolveIcsLink(handle.db, token, CUSTOMER)).booking.id).toBe(booked.id)
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: DomainError) => e.code)
    expect(await code(resolveIcsLink(handle.db, token, OTHER))).toBe('forbidden')
    expect(await code(resolveIcsLink(handle.db, `${token.slice(0, -2)}xx`, null))).toBe('calendar_link_invalid')
    expect(await code(resolveIcsLink(handle.db, token, null, new Date(Date.now() + 6 * 60_000)))).toBe('calendar_link_expired')
    expect(await code(createIcsLink(services.customer(OTHER), booked.id, 'ru'))).toBe('not_found')
  })

  it("serves a specialist's feed by a secret token stored hashed: first names, phones only when allowed, a class as one event; rotate and revoke audited", async () => {
    const owner = services.staff(OWNER, ['owner'])
    const classSeat1 = await book(CUSTOMER, 'barista-basics', 'anna', at('10:00'))
    await book(OTHER, 'barista-basics', 'anna', at('10:00'))
    const lesson = await book(CUSTOMER, 'latte-art', 'anna', at('12:30'))
    const made = await createCalendarFeed(owner, { resourceId: ids.anna!, includePhone: false, lang: 'ru' })
    const token = made.url.match(/feeds\/([A-Za-z0-9_-]+)\.ics$/)![1]!
    const [stored] = await handle.db.select().from(bookingCalendarFeeds).where(eq(bookingCalendarFeeds.id, made.id))
    expect(stored!.tokenHash).not.toContain(token)
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/)

    const feed = await findLiveFeed(handle.db, token)
    expect(feed?.id).toBe(made.id)
    const ics = (await resourceFeedIcs(handle.db, feed!, services.config.publicUrl))!.body.replace(/\r\n /g, '')
    expect(ics).toContain(`UID:booking-${lesson.id}@book.example.test`)
    expect(ics).toContain('SUMMARY:Латте-арт: сердце и тюльпан: Мария')
    expect(ics).not.toContain('+79990001122')
    // The class: one event for the session, both customers in it.
    const classEvent = ics.split('BEGIN:VEVENT').find((e) => e.includes(`DTSTART:${utc(at('10:00'))}`))!
    expect(classEvent).toMatch(/SUMMARY:.*\(2\/4\)/)
    expect(classEvent).toContain('Мария')
    expect(classEvent).toContain('Олег')
    expect(ics.split('BEGIN:VEVENT').filter((e) => e.includes(`DTSTART:${utc(at('10:00'))}`))).toHaveLength(1)
    expect(ics).toContain('X-WR-TIMEZONE:Europe/Moscow')
    expect(classSeat1.status).toBe('confirmed')

    // Rotation: the old token stops working, the new one (with phones) works.
    const rotated = await createCalendarFeed(owner, { resourceId: ids.anna!, includePhone: true, lang: 'en' })
    const newToken = rotated.url.match(/feeds\/([A-Za-z0-9_-]+)\.ics$/)![1]!
    expect(await findLiveFeed(handle.db, token)).toBeNull()
    const withPhones = (await resourceFeedIcs(handle.db, (await findLiveFeed(handle.db, newToken))!, services.config.publicUrl))!.body
    expect(withPhones).toContain('+79990001122')

    await revokeCalendarFeed(owner, rotated.id)
    expect(await findLiveFeed(handle.db, newToken)).toBeNull()
    expect(await findLiveFeed(handle.db, 'x'.repeat(43))).toBeNull()
    expect(await findLiveFeed(handle.db, '')).toBeNull()

    const audits = await handle.db.select({ action: auditEntries.action }).from(auditEntries).where(and(like(auditEntries.action, 'booking.feed.%'), eq(auditEntries.actorId, OWNER)))
    expect(audits.map((a) => a.action)).toEqual(['booking.feed.create', 'booking.feed.rotate', 'booking.feed.revoke'])
    await expect(createCalendarFeed(services.customer(CUSTOMER), { resourceId: ids.ivan!, includePhone: true, lang: 'ru' })).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('reports bookings, no-shows, cancellations and utilisation per resource per day, and the same as CSV', async () => {
    const reportDay = addDays(day, 1)
    const anna = ids.anna!
    const lessonA = await book(CUSTOMER, 'latte-art', 'anna', at('10:00', reportDay))
    const lessonB = await book(OTHER, 'latte-art', 'anna', at('12:00', reportDay))
    const seat1 = await book(CUSTOMER, 'barista-basics', 'anna', at('15:00', reportDay))
    await book(OTHER, 'barista-basics', 'anna', at('15:00', reportDay))
    await setBookingStatusAsStaff(services.staff(OWNER), lessonB.id, 'no_show')
    await cancelBookingAsCustomer(services.customer(CUSTOMER), lessonA.id)
    const [latte] = await handle.db.select().from(bookingServices).where(eq(bookingServices.id, ids['latte-art']!))
    const [barista] = await handle.db.select().from(bookingServices).where(eq(bookingServices.id, ids['barista-basics']!))

    const report = await bookingReport(handle.db, { from: reportDay, to: reportDay, resource: anna })
    expect(report.dayList).toEqual([reportDay])
    const row = report.rows.find((r) => r.resourceId === anna && r.day === reportDay)!
    // Anna works 10:00-19:00 with lunch 14:00-15:00: 8 open hours.
    expect(row.openMinutes).toBe(8 * 60)
    expect(row).toMatchObject({ bookings: 3, noShows: 1, cancelled: 1, done: 0 })
    // The no-show still held the time; the class counts once whatever its seats; the cancelled lesson not at all.
    expect(row.bookedMinutes).toBe(latte!.durationMinutes + barista!.durationMinutes)
    expect(report.totals.utilisation).toBeCloseTo(row.bookedMinutes / row.openMinutes)
    expect(seat1.status).toBe('confirmed')

    const csv = parseCsv(await bookingReportCsv(handle.db, { from: reportDay, to: reportDay, resource: anna }))
    expect(csv[0]).toEqual(['date', 'resource_id', 'resource', 'bookings', 'done', 'no_shows', 'cancelled', 'booked_minutes', 'open_minutes', 'utilisation_percent'])
    expect(csv[1]).toEqual([reportDay, String(anna), 'Анна, старший бариста', '3', '0', '1', '1', String(row.bookedMinutes), '480', ((row.bookedMinutes / 480) * 100).toFixed(1)])
  })
})
