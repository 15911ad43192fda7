import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { apiClient, startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import { eventually } from '../helpers/eventually'
import type { InitUser } from '../helpers/telegram-users'

/**
 * Booking through the HTTP API of the built app and Telegram's webhook: free slots, a hold that a
 * second customer cannot take (409 with alternatives), confirmation in the chat, cancel from the
 * chat's button (a callback_query through POST /api/telegram/webhook), and the operator's day.
 */
let fake: FakeBotApi
let app: RunningApp
const SECRET = 'booking-secret-0123456789'
const maria: InitUser = { id: 5560001, first_name: 'Мария', language_code: 'ru', allows_write_to_pm: true }
const emma: InitUser = { id: 5560002, first_name: 'Emma', language_code: 'en', allows_write_to_pm: true }
const owner: InitUser = { id: 5560099, first_name: 'Алексей', language_code: 'ru' }

const api = apiClient(() => ({ app, fake }))
const deliver = (update: unknown) => fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })
const hold = (user: InitUser, key: string, body: unknown) => api('/api/booking/bookings', { method: 'POST', user, headers: { 'idempotency-key': key }, body: JSON.stringify(body) })

beforeAll(async () => {
  ;({ fake, app } = await startWebhookApp({ secret: SECRET, env: { PUBLIC_URL: 'https://coffee.example.com', ADMIN_TELEGRAM_IDS: String(owner.id), DEMO_DATA: '1' } }))
})
afterAll(() => stopWebhookApp({ app, fake }))

describe('booking API and chat', () => {
  let slot: { startsAt: string; resourceIds: number[] }
  let serviceId: number
  let day: string
  let bookingId: number

  it('lists services with their specialists and the free slots of a day in the business zone', async () => {
    const services = await api('/api/booking/services')
    expect(services.body.map((s: { slug: string }) => s.slug)).toEqual(['barista-basics', 'cupping', 'latte-art', 'table-8'])
    const latte = await api('/api/booking/services/latte-art')
    expect(latte.body).toMatchObject({ slug: 'latte-art', durationMinutes: 90, capacity: 1, resources: [{ slug: 'anna' }] })
    serviceId = latte.body.id
    const month = await api('/api/booking/slots?service=latte-art&days=31')
    expect(month.body.timezone).toBe('Europe/Moscow')
    expect(month.body.days).toHaveLength(31)
    const open = month.body.days.find((d: { slots: unknown[] }, i: number) => i > 1 && d.slots.length > 0)
    day = open.date
    slot = open.slots[0]
    expect(new Date(slot.startsAt).toISOString()).toBe(slot.startsAt)
    expect((await api('/api/booking/slots?service=latte-art&from=2026-02-30')).status).toBe(400)
    expect((await api('/api/booking/slots?service=no-such')).status).toBe(404)
  })

  it('holds the slot once per Idempotency-Key; a second customer gets 409 slot_taken with alternatives', async () => {
    const first = await hold(maria, 'maria-hold-0001', { serviceId, startsAt: slot.startsAt, priceMinor: 1 })
    expect(first.status).toBe(201)
    expect(first.body).toMatchObject({ status: 'held', startsAt: slot.startsAt, priceMinor: 450000, currency: 'RUB', canChange: true })
    bookingId = first.body.id
    const again = await hold(maria, 'maria-hold-0001', { serviceId, startsAt: slot.startsAt })
    expect(again).toMatchObject({ status: 200, body: { id: bookingId } })
    const taken = await hold(emma, 'emma-hold-0001', { serviceId, startsAt: slot.startsAt })
    expect(taken.status).toBe(409)
    expect(taken.body.code).toBe('slot_taken')
    expect(taken.body.details.alternatives.length).toBeGreaterThan(0)
    expect(taken.body.details.alternatives.map((a: { startsAt: string }) => a.startsAt)).not.toContain(slot.startsAt)
    expect((await hold(emma, 'emma-no-body-01', {})).status).toBe(400)
    expect((await api('/api/booking/bookings', { method: 'POST', user: emma, body: JSON.stringify({ serviceId, startsAt: slot.startsAt }) })).status).toBe(400)
    // Another customer cannot see or confirm Maria's booking.
    expect((await api(`/api/booking/bookings/${bookingId}`, { user: emma })).status).toBe(404)
    expect((await api(`/api/booking/bookings/${bookingId}/confirm`, { method: 'POST', user: emma })).status).toBe(404)
  })

  it('confirms: the chat says so in Russian with reschedule and cancel buttons', async () => {
    const confirmed = await api(`/api/booking/bookings/${bookingId}/confirm`, { method: 'POST', user: maria })
    expect(confirmed.body).toMatchObject({ status: 'confirmed', holdExpiresAt: null })
    const message = await eventually(() => fake.chatMessages(maria.id).find((m) => String(m.text).startsWith('Вы записаны')), 15_000)
    expect(String(message.text)).toContain('Латте-арт')
    const buttons = (message.reply_markup as { inline_keyboard: { text: string; callback_data?: string }[][] }).inline_keyboard.flat()
    expect(buttons.map((b) => b.text)).toEqual(['Перенести', 'Отменить'])
    const mine = await api('/api/booking/bookings', { user: maria })
    expect(mine.body.map((b: { id: number }) => b.id)).toContain(bookingId)
  })

  it('shows the day to staff and refuses customers there', async () => {
    const dayView = await api(`/api/admin/booking/bookings?date=${day}`, { user: owner })
    expect(dayView.status).toBe(200)
    expect(dayView.body.items.find((b: { id: number }) => b.id === bookingId)).toMatchObject({ status: 'confirmed', customerName: 'Мария', seat: 1 })
    expect(dayView.body.resources.length).toBeGreaterThanOrEqual(3)
    expect((await api(`/api/admin/booking/bookings?date=${day}`, { user: maria })).status).toBe(403)
  })

  it('cancels from the chat button through the webhook: the slot is free again and the chat confirms', async () => {
    const message = fake.chatMessages(maria.id).find((m) => String(m.text).startsWith('Вы записаны'))!
    const update = fake.updates.callbackQuery({ id: maria.id, is_bot: false, first_name: maria.first_name, language_code: 'ru' }, `booking:cancel:${bookingId}`, message as never)
    expect((await deliver(update)).status).toBe(200)
    await eventually(() => fake.callsOf('answerCallbackQuery').some((c) => c.params.callback_query_id === update.callback_query.id && c.params.text === 'Запись отменена'), 15_000)
    expect((await api(`/api/booking/bookings/${bookingId}`, { user: maria })).body.status).toBe('cancelled')
    await eventually(() => fake.chatMessages(maria.id).some((m) => String(m.text).startsWith('Запись отменена')), 15_000)
    const slots = await api(`/api/booking/slots?service=latte-art&from=${day}`)
    expect(slots.body.days[0].slots.map((s: { startsAt: string }) => s.startsAt)).toContain(slot.startsAt)
    // Now Emma can have it.
    expect((await hold(emma, 'emma-hold-0002', { serviceId, startsAt: slot.startsAt })).status).toBe(201)
  })
})
