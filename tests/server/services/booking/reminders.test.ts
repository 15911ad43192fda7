import { eq } from 'drizzle-orm'
import type { User } from 'telegraf/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeUpdates } from '../../../../server/bot'
import type { AppServices } from '../../../../server/composition-root'
import type { DatabaseHandle } from '../../../../server/db/client'
import { bookingServices, users } from '../../../../server/db/schema'
import { bookingWorkers } from '../../../../server/jobs/booking'
import { confirmBooking, getBooking, holdSlot, rescheduleBookingAsCustomer } from '../../../../server/services/booking'
import { addDays, localDay } from '../../../../server/services/booking/time'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { createLogger } from '../../../../server/utils/logger'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'

/**
 * Reminders and chat buttons: the reminder jobs a confirmation planned are worked as the queue
 * would work them when their time comes (the clock is the job's start time), and the customer's
 * button presses go through the bot's routing table to the booking service.
 */
let handle: DatabaseHandle
let services: TestServices
let serviceId: number
const maria: User = { id: 700_001, is_bot: false, first_name: 'Мария', language_code: 'ru' }
const day = addDays(localDay(new Date(), 'Europe/Moscow'), 5)
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+03:00`)

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle, { PUBLIC_URL: 'https://coffee.example.com' })
  await seedDemoData(handle.db, { people: true })
  serviceId = (await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'latte-art')))[0]!.id
  await handle.db.insert(users).values({ telegramId: maria.id, firstName: maria.first_name, languageCode: 'ru' })
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
const texts = () => services.fake.chatMessages(maria.id).map((m) => String(m.text))
const press = (data: string, messageId: number) => services.bot.handleUpdate(services.fake.updates.callbackQuery(maria, data, services.fake.chatMessage(maria.id, messageId) as never))

describe(`booking reminders and chat buttons on ${engine}`, () => {
  let bookingId: number

  it('confirms in the chat in Russian, in Moscow time, with reschedule and cancel buttons', async () => {
    const { booking } = await holdSlot(services.customer(maria.id), { serviceId, startsAt: at('10:00') }, 'reminders-hold-1')
    bookingId = booking.id
    await confirmBooking(services.customer(maria.id), bookingId)
    await workDue('booking.notice')
    const [message] = services.fake.chatMessages(maria.id)
    expect(String(message!.text)).toMatch(/^Вы записаны: Латте-арт: сердце и тюльпан\n.*10:00.*Москва/)
    const buttons = (message!.reply_markup as { inline_keyboard: { text: string; callback_data?: string; web_app?: { url: string } }[][] }).inline_keyboard.flat()
    expect(buttons.map((b) => b.text)).toEqual(['Перенести', 'Отменить'])
    expect(buttons[0]!.web_app!.url).toBe(`https://coffee.example.com/app?tgWebAppStartParam=visit_${bookingId}`)
    expect(buttons[1]!.callback_data).toBe(`booking:cancel:${bookingId}`)
  })

  it('sends each reminder once when its time comes, and nothing for the old time after a reschedule', async () => {
    const before = texts().length
    const due = await services.queued('booking.reminder')
    expect(due.map((j) => (at('10:00').getTime() - j.startAfter.getTime()) / 60_000).sort((a, b) => a - b)).toEqual([180, 1440])
    await workDue('booking.reminder', (d) => d.offsetMinutes === 1440)
    await workDue('booking.reminder', (d) => d.offsetMinutes === 1440) // a retry or a second replica
    expect(texts().slice(before)).toHaveLength(1)
    expect(texts().at(-1)).toMatch(/^Напоминаем о записи/)

    const stale = await services.queued('booking.reminder')
    await rescheduleBookingAsCustomer(services.customer(maria.id), bookingId, { startsAt: at('15:00') })
    const worker = bookingWorkers.find((w) => w.definition.name === 'booking.reminder')!
    for (const job of stale) await worker.handle(job.data, { services: services as unknown as AppServices, job: {} as never, logger })
    expect(texts().slice(before)).toHaveLength(1)
    const replanned = await services.queued('booking.reminder')
    expect(replanned.map((j) => j.data.startsAt)).toEqual([at('15:00').toISOString(), at('15:00').toISOString()])
    await workDue('booking.reminder', (d) => d.offsetMinutes === 180)
    expect(texts().at(-1)).toMatch(/^Напоминаем о записи.*\n.*15:00/)
  })

  it('"Приду" under the reminder notes the customer is coming; "Отменить" cancels and says so', async () => {
    const reminder = services.fake.chatMessages(maria.id).at(-1)!
    await press(`booking:attend:${bookingId}`, Number(reminder.message_id))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Спасибо, ждём вас!')
    expect((await getBooking(handle.db, bookingId)).customerConfirmedAt).toBeInstanceOf(Date)

    await press(`booking:cancel:${bookingId}`, Number(reminder.message_id))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Запись отменена')
    expect((await getBooking(handle.db, bookingId)).status).toBe('cancelled')
    expect(await services.queued('booking.reminder')).toEqual([])
    await workDue('booking.notice', (d) => d.notice === 'cancelled')
    expect(texts().at(-1)).toMatch(/^Запись отменена/)

    // Pressed again: still cancelled, told once. Someone else's booking: a polite answer, nothing changes.
    await press(`booking:cancel:${bookingId}`, Number(reminder.message_id))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Запись отменена')
    expect((await services.queued('booking.notice')).filter((j) => j.data.notice === 'cancelled')).toHaveLength(1)
    await press(`booking:cancel:${bookingId + 1000}`, Number(reminder.message_id))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Эта запись уже неактуальна')
  })
})
