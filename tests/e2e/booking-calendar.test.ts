import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeBotApi } from '../../server/telegram/fake-bot-api'
import type { RunningApp } from '../helpers/app'
import { apiClient, startWebhookApp, stopWebhookApp } from '../helpers/webhook-app'
import type { InitUser } from '../helpers/telegram-users'

/**
 * Calendars and reports of booking through the built app: the customer's .ics through a signed
 * link (what Telegram's downloadFile fetches), a specialist's secret feed made, rotated and
 * revoked by the owner, and the booking report with its CSV.
 */
let fake: FakeBotApi
let app: RunningApp
const maria: InitUser = { id: 5570001, first_name: 'Мария', language_code: 'ru', allows_write_to_pm: true }
const emma: InitUser = { id: 5570002, first_name: 'Emma', language_code: 'en', allows_write_to_pm: true }
const owner: InitUser = { id: 5570099, first_name: 'Алексей', language_code: 'ru' }

const api = apiClient(() => ({ app, fake }))

beforeAll(async () => {
  ;({ fake, app } = await startWebhookApp({ secret: 'calendar-secret-0123456789', env: { PUBLIC_URL: 'https://coffee.example.com', ADMIN_TELEGRAM_IDS: String(owner.id), DEMO_DATA: '1' } }))
})
afterAll(() => stopWebhookApp({ app, fake }))

describe('booking calendars and reports', () => {
  let bookingId: number
  let startsAt: string
  let day: string
  let annaId: number

  it('downloads a booked lesson as an .ics through a 5-minute signed link, for its owner only', async () => {
    const latte = await api('/api/booking/services/latte-art')
    annaId = latte.body.resources[0].id
    const month = await api('/api/booking/slots?service=latte-art&days=14')
    const open = month.body.days.find((d: { slots: unknown[] }, i: number) => i > 1 && d.slots.length > 0)
    day = open.date
    startsAt = open.slots[0].startsAt
    const held = await api('/api/booking/bookings', { method: 'POST', user: maria, headers: { 'idempotency-key': 'maria-cal-0001' }, body: JSON.stringify({ serviceId: latte.body.id, startsAt, resourceId: annaId }) })
    expect(held.status).toBe(201)
    bookingId = held.body.id
    expect((await api(`/api/booking/bookings/${bookingId}/confirm`, { method: 'POST', user: maria })).status).toBe(200)

    const link = await api(`/api/booking/bookings/${bookingId}/calendar-link?lang=en`, { method: 'POST', user: maria })
    expect(link.status).toBe(200)
    expect(link.body.url).toBe(`https://coffee.example.com${link.body.path}`)
    expect(link.body.fileName).toBe(`booking-${bookingId}.ics`)
    // Telegram fetches the URL itself, without initData.
    const file = await fetch(app.url + link.body.path)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    expect(file.headers.get('content-disposition')).toContain(`booking-${bookingId}.ics`)
    const ics = await file.text()
    expect(ics).toContain(`UID:booking-${bookingId}@coffee.example.com\r\n`)
    expect(ics).toContain(`DTSTART:${startsAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}\r\n`)
    expect(ics).toContain('STATUS:CONFIRMED\r\n')
    expect(ics).toContain('SUMMARY:Latte art: heart and tulip')

    expect((await api(link.body.path, { user: emma })).body).toMatchObject({ code: 'forbidden' })
    const tampered = await api(`${link.body.path.slice(0, -3)}abc`)
    expect([tampered.status, tampered.body.code]).toEqual([403, 'calendar_link_invalid'])
    expect((await api(`/api/booking/bookings/${bookingId}/calendar-link`, { method: 'POST', user: emma })).status).toBe(404)
    expect((await api(`/api/booking/bookings/${bookingId}/calendar-link?lang=de`, { method: 'POST', user: maria })).status).toBe(400)
  })

  it("serves Anna's bookings on a secret feed the owner makes, rotates and revokes; unknown and revoked tokens are the same 404", async () => {
    expect((await api('/api/admin/booking/feeds', { method: 'POST', user: maria, body: JSON.stringify({ resourceId: annaId }) })).status).toBe(403)
    const made = await api('/api/admin/booking/feeds', { method: 'POST', user: owner, body: JSON.stringify({ resourceId: annaId }) })
    expect(made.status).toBe(201)
    const path = new URL(made.body.url).pathname
    expect(path).toMatch(/^\/api\/booking\/feeds\/[A-Za-z0-9_-]{43}\.ics$/)
    const listed = await api('/api/admin/booking/feeds', { user: owner })
    expect(JSON.stringify(listed.body)).not.toContain(path.split('/').pop()!.slice(0, 20))
    expect(listed.body.items).toMatchObject([{ id: made.body.id, includePhone: false, revokedAt: null }])

    const feed = await fetch(app.url + path)
    expect(feed.status).toBe(200)
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    expect(feed.headers.get('cache-control')).toBe('private, max-age=300')
    const body = (await feed.text()).replace(/\r\n /g, '')
    expect(body).toContain(`UID:booking-${bookingId}@coffee.example.com`)
    expect(body).toContain('Мария')
    const etag = feed.headers.get('etag')!
    const again = await fetch(app.url + path, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)

    const rotated = await api('/api/admin/booking/feeds', { method: 'POST', user: owner, body: JSON.stringify({ resourceId: annaId, includePhone: false, lang: 'en' }) })
    const newPath = new URL(rotated.body.url).pathname
    const old = await api(path)
    expect([old.status, old.body.code]).toEqual([404, 'not_found'])
    expect((await fetch(app.url + newPath)).status).toBe(200)
    expect((await api(`/api/admin/booking/feeds/${rotated.body.id}/revoke`, { method: 'POST', user: owner })).status).toBe(200)
    const revoked = await api(newPath)
    const unknown = await api(`/api/booking/feeds/${'A'.repeat(43)}.ics`)
    const garbage = await api('/api/booking/feeds/%3Cscript%3E')
    expect([revoked.status, unknown.status, garbage.status]).toEqual([404, 404, 404])
    const withoutRequest = ({ requestId: _, ...rest }: Record<string, unknown>) => rest
    expect(withoutRequest(revoked.body)).toEqual(withoutRequest(unknown.body))
    expect(revoked.headers.get('cache-control')).toBe('no-store')
  })

  it('reports the day per resource (bookings, utilisation) and exports the same as CSV, for reports.read only', async () => {
    const report = await api(`/api/admin/booking/report?from=${day}&to=${day}&resource=${annaId}`, { user: owner })
    expect(report.status).toBe(200)
    expect(report.body.dayList).toEqual([day])
    const row = report.body.rows.find((r: { resourceId: number }) => r.resourceId === annaId)
    expect(row).toMatchObject({ day, bookings: 1, noShows: 0, cancelled: 0, bookedMinutes: 90, openMinutes: 480 })
    const csv = await api(`/api/admin/booking/export.csv?from=${day}&to=${day}&resource=${annaId}`, { user: owner })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = String(csv.body).trim().split(/\r?\n/)
    expect(lines[0]).toBe('date,resource_id,resource,bookings,done,no_shows,cancelled,booked_minutes,open_minutes,utilisation_percent')
    expect(lines[1]).toBe(`${day},${annaId},"Анна, старший бариста",1,0,0,0,90,480,18.8`)
    expect((await api(`/api/admin/booking/report?from=${day}&to=2020-01-01`, { user: owner })).status).toBe(400)
    expect((await api('/api/admin/booking/report', { user: maria })).status).toBe(403)
  })

  it('rate-limits the feed per address (calendars poll; token guessing is slowed down)', async () => {
    // The window is a fixed minute: a boundary may fall inside the loop, so it runs until refused.
    const statuses: number[] = []
    let limited: Response | undefined
    while (!limited && statuses.length < 200) {
      const res = await fetch(`${app.url}/api/booking/feeds/${'B'.repeat(43)}.ics`)
      statuses.push(res.status)
      if (res.status === 429) limited = res
    }
    expect(limited?.status).toBe(429)
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(statuses.filter((s) => s === 404).length).toBeGreaterThanOrEqual(40)
  })
})
