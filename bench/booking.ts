/**
 * `booking`, in process on the database engines (the service functions the API calls, without
 * HTTP, so the figures are the booking code and its queries):
 * - free slots for 30 days of a service 20 specialists perform (each with a lunch break and four
 *   bookings a day), 200 calls at 50 in flight: p50/p99 and CPU ms per call; the baseline in the
 *   same run is the two reads those calls make (bookings and exceptions of the window) alone;
 * - 200 concurrent holds of one one-person slot by 200 customers: p99 of an attempt and the
 *   number of winners (must be exactly 1).
 */
import { and, eq, gt, inArray, lt } from 'drizzle-orm'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openPglite, openPostgres, type DatabaseHandle } from '../server/db/client'
import { bookingResourceExceptions, bookingResourceServices, bookingResources, bookingServices, bookings, users } from '../server/db/schema'
import { findFreeSlots, holdSlot } from '../server/services/booking'
import { addDays, localDay } from '../server/services/booking/time'
import { seedDemoData } from '../server/services/demo/seed'
import { createTestServices } from '../tests/helpers/context'
import { createPgDatabase, pgAdminUrl, removeDir } from './lib'
import { limits, table, writeResult, type Row } from './report'

const STAFF = 20
const DAYS = 30
const CALLS = 200
const IN_FLIGHT = 50
const HOLDERS = 200

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** Runs `task` `calls` times with `inFlight` at once; latency of each and CPU ms per call of this process. */
async function measure(calls: number, inFlight: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = []
  let next = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < calls) {
      const i = next++
      const t = performance.now()
      await task(i)
      latencies.push(performance.now() - t)
    }
  }))
  const used = process.cpuUsage(cpu)
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), perSecond: calls / ((performance.now() - started) / 1000), cpuMsPerCall: (used.user + used.system) / 1000 / calls }
}

async function seedStaff(handle: DatabaseHandle, from: string) {
  const [cupping] = await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'cupping'))
  const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), ['09:00', '21:00'] as [string, string]]))
  const lunch = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [['13:00', '14:00']] as [string, string][]]))
  const staff = await handle.db.insert(bookingResources).values(Array.from({ length: STAFF }, (_, i) => ({ slug: `bench-${i}`, name: { ru: `Мастер ${i}`, en: `Master ${i}` }, workingHours: week, breaks: lunch }))).returning()
  await handle.db.insert(bookingResourceServices).values(staff.map((r) => ({ resourceId: r.id, serviceId: cupping!.id })))
  await handle.db.insert(users).values({ telegramId: 8_100_000, firstName: 'Bench' }).onConflictDoNothing()
  const rows = []
  for (const r of staff) {
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(from, d)
      for (const hour of ['10', '12', '15', '17']) {
        const startsAt = new Date(`${day}T${hour}:00:00+03:00`)
        rows.push({ userId: 8_100_000, serviceId: cupping!.id, resourceId: r.id, status: 'confirmed' as const, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), occupiedFrom: new Date(startsAt.getTime() - 15 * 60_000), occupiedTo: new Date(startsAt.getTime() + 3600_000), timezone: 'Europe/Moscow', priceMinor: cupping!.priceMinor, currency: 'RUB', idempotencyKey: `bench-${r.id}-${day}-${hour}` })
      }
    }
  }
  for (let i = 0; i < rows.length; i += 500) await handle.db.insert(bookings).values(rows.slice(i, i + 500))
  await handle.db.insert(bookingResourceExceptions).values({ resourceId: staff[0]!.id, day: addDays(from, 3), hours: [], note: 'sick day' })
  return { staffIds: staff.map((r) => r.id), bookings: rows.length }
}

async function runEngine(engine: 'pglite' | 'postgres') {
  const database = engine === 'postgres' ? await createPgDatabase(pgAdminUrl!) : undefined
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'bench-booking-')) : undefined
  const handle = engine === 'postgres' ? await openPostgres(database!.url, { max: 20 }) : await openPglite({ dataDir })
  await handle.migrate()
  const services = await createTestServices(handle)
  try {
    await seedDemoData(handle.db, { people: false })
    const from = addDays(localDay(new Date(), 'Europe/Moscow'), 1)
    const seeded = await seedStaff(handle, from)
    const probe = await findFreeSlots(handle.db, { service: 'cupping', from, days: DAYS })
    const offered = probe.days.reduce((n, d) => n + d.slots.length, 0)
    const windowFrom = new Date(`${addDays(from, -2)}T00:00:00Z`)
    const windowTo = new Date(`${addDays(from, DAYS + 2)}T00:00:00Z`)
    const baseline = await measure(CALLS, IN_FLIGHT, () => Promise.all([
      handle.db
        .select({ resourceId: bookings.resourceId, serviceId: bookings.serviceId, startsAt: bookings.startsAt, occupiedFrom: bookings.occupiedFrom, occupiedTo: bookings.occupiedTo })
        .from(bookings)
        .where(and(inArray(bookings.resourceId, seeded.staffIds), inArray(bookings.status, ['held', 'confirmed', 'done', 'no_show']), lt(bookings.occupiedFrom, windowTo), gt(bookings.occupiedTo, windowFrom))),
      handle.db.select().from(bookingResourceExceptions).where(inArray(bookingResourceExceptions.resourceId, seeded.staffIds)),
    ]))
    const slots = await measure(CALLS, IN_FLIGHT, () => findFreeSlots(handle.db, { service: 'cupping', from, days: DAYS }))

    const [latte] = await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'latte-art'))
    const { days } = await findFreeSlots(handle.db, { service: 'latte-art', from: addDays(from, 2), days: 1 })
    const startsAt = new Date(days[0]!.slots[0]!.startsAt)
    await handle.db.insert(users).values(Array.from({ length: HOLDERS }, (_, i) => ({ telegramId: 8_200_000 + i, firstName: `Guest ${i}` })))
    const outcomes: string[] = []
    const holds = await measure(HOLDERS, HOLDERS, async (i) => {
      try {
        await holdSlot(services.customer(8_200_000 + i), { serviceId: latte!.id, startsAt }, `bench-hold-${i}`)
        outcomes.push('won')
      } catch (error) {
        outcomes.push((error as { code?: string }).code ?? 'error')
      }
    })
    return { engine, seeded, offered, baseline, slots, holds, winners: outcomes.filter((o) => o === 'won').length, refused: outcomes.filter((o) => o === 'slot_taken').length, errors: outcomes.filter((o) => o !== 'won' && o !== 'slot_taken').length }
  } finally {
    await services.close()
    await handle.close()
    await database?.drop()
    if (dataDir) removeDir(dataDir)
  }
}

export async function booking() {
  console.log(`\n== booking: free slots for ${DAYS} days x ${STAFF} specialists (${CALLS} calls, ${IN_FLIGHT} in flight) vs their reads alone; ${HOLDERS} concurrent holds of one slot`)
  const results = [await runEngine('pglite')]
  if (pgAdminUrl) results.push(await runEngine('postgres'))
  const rows: Row[] = []
  for (const r of results) {
    rows.push({ engine: r.engine, run: 'baseline: the reads alone', 'calls/s': r.baseline.perSecond, 'p50 ms': r.baseline.p50, 'p99 ms': r.baseline.p99, 'CPU ms/call': r.baseline.cpuMsPerCall.toFixed(2) })
    rows.push({ engine: r.engine, run: `free slots (${r.offered} offered, ${r.seeded.bookings} bookings)`, 'calls/s': r.slots.perSecond, 'p50 ms': r.slots.p50, 'p99 ms': r.slots.p99, 'CPU ms/call': r.slots.cpuMsPerCall.toFixed(2) })
  }
  table('free slots (in process: the service function the API route calls)', rows)
  table(`${HOLDERS} concurrent holds of one one-person slot`, results.map((r) => ({ engine: r.engine, winners: r.winners, slot_taken: r.refused, errors: r.errors, 'p50 ms': r.holds.p50, 'p99 ms': r.holds.p99 })))
  const checked = limits(results.flatMap((r) => [
    // One process with 50 calls in flight queues them: the CPU per call is the figure that says what a call costs.
    { what: `${r.engine}: free slots CPU per call`, value: r.slots.cpuMsPerCall, limit: 50, kind: 'max' as const, unit: ' ms' },
    { what: `${r.engine}: free slots CPU per call vs its reads alone`, value: r.slots.cpuMsPerCall / r.baseline.cpuMsPerCall, limit: 3, kind: 'max' as const, unit: 'x' },
    { what: `${r.engine}: winners of one slot`, value: r.winners, limit: 1, kind: 'max' as const },
    { what: `${r.engine}: winners of one slot`, value: r.winners, limit: 1, kind: 'min' as const },
    { what: `${r.engine}: errors other than slot_taken`, value: r.errors, limit: 0, kind: 'max' as const },
  ]))
  console.log(`results: ${writeResult('booking', { results, limits: checked })}`)
}
