import { and, eq } from 'drizzle-orm'
import type { User } from 'telegraf/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeUpdates } from '../../../../server/bot'
import type { AppServices } from '../../../../server/composition-root'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, bookingResources, bookingServices, bookingWaitlist, bookings, payments, refunds, users } from '../../../../server/db/schema'
import { bookingWorkers } from '../../../../server/jobs/booking'
import { cancelBookingAsCustomer, confirmBooking, expireHolds, findFreeSlots, getBooking, holdSlot, refundOnCancel, setBookingStatusAsStaff } from '../../../../server/services/booking'
import { toBookingDto } from '../../../../server/services/booking/dto'
import { joinWaitlist, leaveWaitlist, listWaitlist } from '../../../../server/services/booking/waitlist'
import { addDays, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createBookingInvoiceLink } from '../../../../server/services/payments/invoice'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

/**
 * Prepayment, the cancellation policy and the waitlist, through the same paths production uses:
 * Telegram's updates go through the bot's routing table, queued jobs are worked by the booking
 * workers as the queue would work them (the clock for a hold is its `hold_expires_at`, moved into
 * the past where a test lets time pass).
 */
let handle: DatabaseHandle
let services: TestServices
const ids: Record<string, number> = {}
const person = (id: number, name: string): User => ({ id, is_bot: false, first_name: name, language_code: 'ru' })
const maria = person(710_001, 'Мария')
const boris = person(710_002, 'Борис')
const vera = person(710_003, 'Вера')
const gleb = person(710_004, 'Глеб')
const STAFF = 710_100
const day = addDays(localDay(new Date(), 'Europe/Moscow'), 5)
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+03:00`)

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle, { PUBLIC_URL: 'https://coffee.example.com' })
  await seedDemoData(handle.db, { people: true })
  for (const s of await handle.db.select().from(bookingServices)) ids[s.slug] = s.id
  for (const r of await handle.db.select().from(bookingResources)) ids[r.slug] = r.id
  await handle.db.insert(users).values([maria, boris, vera, gleb].map((u) => ({ telegramId: u.id, firstName: u.first_name, languageCode: 'ru' })))
  await handle.db.insert(users).values({ telegramId: STAFF, firstName: 'Оператор', languageCode: 'ru' })
  routeUpdates(services.bot, services as unknown as AppServices)
}, 60_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

const logger = createLogger({ level: 'silent' })
/** Works every queued job of `name` whose payload matches, as the queue does when its time comes. */
async function workDue(name: string, match: (data: Record<string, unknown>) => boolean = () => true) {
  const worker = bookingWorkers.find((w) => w.definition.name === name)!
  for (const job of await services.queued(name)) {
    if (match(job.data)) await worker.handle(job.data, { services: services as unknown as AppServices, job: { id: 'x', name, data: job.data } as never, logger })
  }
}
const work = (name: string, data: Record<string, unknown>) => bookingWorkers.find((w) => w.definition.name === name)!.handle(data, { services: services as unknown as AppServices, job: { id: 'x', name, data } as never, logger })
const texts = (user: User) => services.fake.chatMessages(user.id).map((m) => String(m.text))
const lastAnswer = () => services.fake.callsOf('answerPreCheckoutQuery').at(-1)!.params
const preCheckout = (user: User, bookingId: number, amount: number, currency = 'XTR') => services.bot.handleUpdate(services.fake.updates.preCheckoutQuery(user, { currency, total_amount: amount, invoice_payload: `booking:${bookingId}` }))
const pay = (user: User, bookingId: number, charge: string, amount = 100) =>
  services.bot.handleUpdate(services.fake.updates.successfulPayment(user, { currency: 'XTR', total_amount: amount, invoice_payload: `booking:${bookingId}`, telegram_payment_charge_id: charge, provider_payment_charge_id: '' }))
const paymentsOf = (bookingId: number) => handle.db.select().from(payments).where(eq(payments.bookingId, bookingId))
const expireNow = (bookingId: number) => handle.db.update(bookings).set({ holdExpiresAt: new Date(Date.now() - 1000) }).where(eq(bookings.id, bookingId))

describe(`booking prepayment on ${engine}`, () => {
  let paidId: number

  it('a prepaid class is confirmed by its payment, exactly once however often Telegram redelivers it', async () => {
    const { booking: hold } = await holdSlot(services.customer(maria.id), { serviceId: ids.cupping!, resourceId: ids.anna, startsAt: at('15:00') }, 'prepay-1')
    paidId = hold.id
    expect(hold).toMatchObject({ status: 'held', prepaymentMinor: 100, prepaymentCurrency: 'XTR' })
    await expect(confirmBooking(services.customer(maria.id), hold.id)).rejects.toMatchObject({ code: 'payment_required' })

    const { link } = await createBookingInvoiceLink(services.customer(maria.id), hold.id)
    const invoice = services.fake.getInvoice(link)!
    expect(invoice).toMatchObject({ payload: `booking:${hold.id}`, currency: 'XTR', total_amount: 100 })
    await expect(createBookingInvoiceLink(services.customer(boris.id), hold.id)).rejects.toMatchObject({ code: 'not_found' })

    // Pre-checkout: the server's own amount only, the customer's own hold only; a yes keeps the hold for the payment.
    await preCheckout(maria, hold.id, 1)
    expect(lastAnswer()).toMatchObject({ ok: false })
    await preCheckout(boris, hold.id, 100)
    expect(lastAnswer()).toMatchObject({ ok: false })
    await handle.db.update(bookings).set({ holdExpiresAt: new Date(Date.now() + 30_000) }).where(eq(bookings.id, hold.id))
    await preCheckout(maria, hold.id, 100)
    expect(lastAnswer()).toMatchObject({ ok: true })
    expect((await getBooking(handle.db, hold.id)).holdExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 2 * 60_000)

    services.fake.recordStarPayment(maria.id, 'stars-prepay-1', 100)
    await pay(maria, hold.id, 'stars-prepay-1')
    await pay(maria, hold.id, 'stars-prepay-1') // redelivered
    const paid = await getBooking(handle.db, hold.id)
    expect(paid.status).toBe('confirmed')
    expect(paid.paidAt).toBeInstanceOf(Date)
    expect(paid.history.map((h) => h.action)).toEqual(['held', 'paid'])
    expect(await paymentsOf(hold.id)).toMatchObject([{ amountMinor: 100, currency: 'XTR', flag: null, status: 'succeeded' }])
    expect((await services.queued('booking.notice')).filter((j) => j.data.bookingId === hold.id).map((j) => j.data.notice)).toEqual(['confirmed'])
    expect((await services.queued('booking.reminder')).filter((j) => j.data.bookingId === hold.id)).toHaveLength(2)

    await workDue('booking.notice', (d) => d.bookingId === hold.id)
    expect(texts(maria).at(-1)).toMatch(/^Вы записаны: Каппинг[\s\S]*Предоплата получена: 100/)
    // Paying once more (a second invoice) confirms nothing twice: kept, flagged and refunded.
    expect(await preCheckout(maria, hold.id, 100).then(lastAnswer)).toMatchObject({ ok: false })
  })

  it('a cancellation inside the policy refunds the prepayment through the payments module, once', async () => {
    expect(toBookingDto(await getBooking(handle.db, paidId)).refundIfCancelledNow).toBe(true)
    await cancelBookingAsCustomer(services.customer(maria.id), paidId)
    const jobs = (await services.queued('booking.refund')).filter((j) => j.data.bookingId === paidId)
    expect(jobs).toHaveLength(1)
    await work('booking.refund', jobs[0]!.data)
    await work('booking.refund', jobs[0]!.data) // a retry after it went through
    expect(services.fake.callsOf('refundStarPayment').filter((c) => c.params.telegram_payment_charge_id === 'stars-prepay-1')).toHaveLength(1)
    const [payment] = await paymentsOf(paidId)
    expect(payment).toMatchObject({ status: 'refunded', refundedMinor: 100 })
    expect(await handle.db.select().from(refunds).where(eq(refunds.paymentId, payment!.id))).toMatchObject([{ status: 'succeeded', amountMinor: 100 }])
    expect(await handle.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'payment.refund'), eq(auditEntries.entityId, String(payment!.id))))).toHaveLength(1)
    expect((await getBooking(handle.db, paidId)).history.at(-1)).toMatchObject({ action: 'cancelled', details: { refund: true } })
  })

  it('no refund outside the policy (the app is told before), but staff cancellations always refund', async () => {
    const { booking: hold } = await holdSlot(services.customer(maria.id), { serviceId: ids.cupping!, resourceId: ids.anna, startsAt: at('16:00') }, 'prepay-2')
    await preCheckout(maria, hold.id, 100)
    services.fake.recordStarPayment(maria.id, 'stars-prepay-2', 100)
    await pay(maria, hold.id, 'stars-prepay-2')
    // Five hours before the start: still allowed to cancel online (2 h), past the refund deadline (12 h).
    const late = new Date(at('16:00').getTime() - 5 * 3600_000)
    expect(toBookingDto(await getBooking(handle.db, hold.id), late)).toMatchObject({ canChange: true, refundIfCancelledNow: false })
    await cancelBookingAsCustomer(services.customer(maria.id), hold.id, late)
    expect((await services.queued('booking.refund')).filter((j) => j.data.bookingId === hold.id)).toEqual([])
    expect(await paymentsOf(hold.id)).toMatchObject([{ status: 'succeeded', refundedMinor: 0 }])
    expect((await getBooking(handle.db, hold.id)).history.at(-1)).toMatchObject({ action: 'cancelled', details: { refund: false } })

    const { booking: third } = await holdSlot(services.customer(maria.id), { serviceId: ids.cupping!, resourceId: ids.anna, startsAt: at('17:00') }, 'prepay-3')
    await preCheckout(maria, third.id, 100)
    await pay(maria, third.id, 'stars-prepay-3')
    // Staff refund whatever the time left (the customer did not choose to cancel).
    expect(refundOnCancel(await getBooking(handle.db, third.id), { refundDeadlineMinutes: 720 }, true, new Date(at('17:00').getTime() - 3600_000))).toBe(true)
    await setBookingStatusAsStaff(services.staff(STAFF), third.id, 'cancelled', 'Anna is ill')
    expect((await services.queued('booking.refund')).filter((j) => j.data.bookingId === third.id)).toHaveLength(1)
  })

  it('a payment arriving for a hold that ran out is kept, flagged and refunded; the seat stays free', async () => {
    const { days } = await findFreeSlots(handle.db, { service: 'cupping', resource: ids.anna, from: day, days: 1 })
    const { booking: hold } = await holdSlot(services.customer(boris.id), { serviceId: ids.cupping!, resourceId: ids.anna, startsAt: days[0]!.slots[0]!.startsAt }, 'prepay-late')
    await expireNow(hold.id)
    await preCheckout(boris, hold.id, 100)
    expect(lastAnswer()).toMatchObject({ ok: false, error_message: expect.stringMatching(/истекло/) })
    await expireHolds(services.system())
    await pay(boris, hold.id, 'stars-late')
    expect((await getBooking(handle.db, hold.id)).status).toBe('expired')
    const [payment] = await paymentsOf(hold.id)
    expect(payment).toMatchObject({ flag: 'booking_not_payable', amountMinor: 100 })
    expect((await services.queued('payments.flagged')).some((j) => j.data.paymentId === payment!.id)).toBe(true)
    expect((await services.queued('booking.refund')).some((j) => j.data.paymentId === payment!.id)).toBe(true)
    const again = await findFreeSlots(handle.db, { service: 'cupping', resource: ids.anna, from: day, days: 1 })
    expect(again.days[0]!.slots.find((s) => s.startsAt.getTime() === hold.startsAt.getTime())?.seatsLeft).toBe(6)
  })
})

describe(`booking waitlist on ${engine}`, () => {
  let taken: number

  it('lets a customer wait for a full slot or a full day, never for a free one', async () => {
    const { booking } = await holdSlot(services.customer(maria.id), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt: at('10:00') }, 'wait-1')
    taken = (await confirmBooking(services.customer(maria.id), booking.id)).id
    await expect(joinWaitlist(services.customer(boris.id), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt: at('12:30') })).rejects.toMatchObject({ code: 'slot_available' })
    const first = await joinWaitlist(services.customer(boris.id), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt: at('10:00') })
    expect(first.created).toBe(true)
    expect((await joinWaitlist(services.customer(boris.id), { serviceId: ids['latte-art']!, resourceId: ids.anna, startsAt: at('10:00') })).entry.id).toBe(first.entry.id)
    await joinWaitlist(services.customer(vera.id), { serviceId: ids['latte-art']!, startsAt: at('10:00') })
    const left = await joinWaitlist(services.customer(gleb.id), { serviceId: ids['latte-art']!, startsAt: at('10:00') })
    expect((await leaveWaitlist(services.customer(gleb.id), left.entry.id)).status).toBe('left')
    expect(await listWaitlist(handle.db, gleb.id)).toEqual([])
  })

  it('offers a freed seat to the first in line only, in the chat, once however often the job runs', async () => {
    await cancelBookingAsCustomer(services.customer(maria.id), taken)
    const offers = await services.queued('booking.waitlist-offer')
    expect(offers).toHaveLength(1)
    // Two replicas (or a retry) run the offer at once: one hold, for Boris, the first in line.
    await Promise.all([work('booking.waitlist-offer', offers[0]!.data), work('booking.waitlist-offer', offers[0]!.data)])
    const held = await handle.db.select().from(bookings).where(and(eq(bookings.serviceId, ids['latte-art']!), eq(bookings.startsAt, at('10:00')), eq(bookings.status, 'held')))
    expect(held.map((b) => b.userId)).toEqual([boris.id])
    expect(held[0]!.holdExpiresAt!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000) // the service's offer time, 15 min
    const [borisEntry] = await listWaitlist(handle.db, boris.id)
    expect(borisEntry).toMatchObject({ status: 'offered', bookingId: held[0]!.id })
    expect((await listWaitlist(handle.db, vera.id))[0]!.status).toBe('waiting')

    await workDue('booking.notice', (d) => d.notice === 'offered')
    const message = services.fake.chatMessages(boris.id).at(-1)!
    expect(String(message.text)).toMatch(/^Освободилось место, которое вы ждали: Латте-арт[\s\S]*10:00[\s\S]*Место держим для вас до/)
    const buttons = (message.reply_markup as { inline_keyboard: { text: string; callback_data?: string }[][] }).inline_keyboard.flat()
    expect(buttons.map((b) => [b.text, b.callback_data])).toEqual([
      ['Записаться', `booking:take:${held[0]!.id}`],
      ['Не нужно', `booking:pass:${held[0]!.id}`],
    ])
    expect(texts(vera).filter((t) => t.startsWith('Освободилось'))).toEqual([])
  })

  it('when the offer runs out the next in line gets it, and accepting books the slot', async () => {
    const [borisEntry] = await listWaitlist(handle.db, boris.id)
    await expireNow(borisEntry!.bookingId!)
    await expireHolds(services.system())
    expect((await listWaitlist(handle.db, boris.id))[0]!.status).toBe('missed')
    await workDue('booking.waitlist-offer')
    const [veraEntry] = await listWaitlist(handle.db, vera.id)
    expect(veraEntry).toMatchObject({ status: 'offered' })
    await workDue('booking.notice', (d) => d.bookingId === veraEntry!.bookingId)
    const offer = services.fake.chatMessages(vera.id).at(-1)!
    await services.bot.handleUpdate(services.fake.updates.callbackQuery(vera, `booking:take:${veraEntry!.bookingId}`, offer as never))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Вы записаны!')
    const booked = await getBooking(handle.db, veraEntry!.bookingId!)
    expect(booked).toMatchObject({ status: 'confirmed', userId: vera.id, startsAt: at('10:00') })
    expect((await listWaitlist(handle.db, vera.id))[0]!.status).toBe('booked')
    // "Не нужно" pressed after taking it lets go of nothing.
    await services.bot.handleUpdate(services.fake.updates.callbackQuery(vera, `booking:pass:${veraEntry!.bookingId}`, offer as never))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Эта запись уже неактуальна')
    expect((await getBooking(handle.db, veraEntry!.bookingId!)).status).toBe('confirmed')
    // Boris's old offer is gone: his button answers politely and changes nothing.
    await services.bot.handleUpdate(services.fake.updates.callbackQuery(boris, `booking:take:${borisEntry!.bookingId}`, offer as never))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Эта запись уже неактуальна')
    expect(await handle.db.select().from(bookingWaitlist).where(eq(bookingWaitlist.status, 'waiting'))).toEqual([])
  })
})
