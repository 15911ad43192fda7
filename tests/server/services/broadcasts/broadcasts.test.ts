import { and, eq, inArray } from 'drizzle-orm'
import type { User } from 'telegraf/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeUpdates } from '../../../../server/bot'
import type { AppServices } from '../../../../server/composition-root'
import type { DatabaseHandle } from '../../../../server/db/client'
import { auditEntries, bookingServices, broadcastRecipients, broadcasts, categories, customerProfiles, deliveryZones, pickupPoints, products, users } from '../../../../server/db/schema'
import { broadcastWorkers } from '../../../../server/jobs/broadcasts'
import { JobQueue } from '../../../../server/jobs/queue'
import { confirmBooking, holdSlot } from '../../../../server/services/booking'
import { addDays, localDay } from '../../../../server/services/booking/time'
import { addToCart } from '../../../../server/services/cart'
import { cancelBroadcast, countAudience, createBroadcast, getBroadcast, recordClick, requestPreview, scheduleBroadcast, updateBroadcast } from '../../../../server/services/broadcasts'
import { runBroadcastSlice } from '../../../../server/services/broadcasts/delivery'
import { clickToken } from '../../../../server/services/broadcasts/messages'
import { seedDemoData } from '../../../../server/services/demo/seed'
import { changeOrderStatusAsStaff, createOrder } from '../../../../server/services/orders'
import { SendLimiter } from '../../../../server/services/notifications/chat'
import { createLogger } from '../../../../server/utils/logger'
import { BroadcastInputSchema, BroadcastSegmentSchema } from '../../../../shared/schemas/broadcasts'
import { CheckoutSchema } from '../../../../shared/schemas/orders'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { eventually } from '../../../helpers/eventually'

/**
 * Broadcasts end to end below HTTP: segments over real orders and bookings, the preview gate, the
 * bot's fake Bot API answering 429 and 403 like Telegram, and a worker stopped mid-send and
 * started again. Sending runs the real worker code (`runBroadcastSlice`, the queue's workers).
 */
let handle: DatabaseHandle
let services: TestServices
const logger = createLogger({ level: 'silent' })
const OWNER = 9_000_000_099
const day = addDays(localDay(new Date(), 'Europe/Moscow'), 5)

// Customers: A bought coffee (ru), B booked a masterclass (en), C opted in but was last seen long ago,
// D bought coffee but never opted in, E opted in and will block the bot.
const A = 810_001, B = 810_002, C = 810_003, D = 810_004, E = 810_005

async function customer(id: number, languageCode: string, news: boolean, lastSeenDaysAgo = 0) {
  await handle.db.insert(users).values({ telegramId: id, firstName: `C${id}`, languageCode, lastSeenAt: new Date(Date.now() - lastSeenDaysAgo * 86_400_000) }).onConflictDoNothing()
  if (news) await handle.db.insert(customerProfiles).values({ userId: id, notifications: { news: true } }).onConflictDoNothing()
}
const deps = (limiter = new SendLimiter(1000, 0)) => ({ db: handle.db, bot: services.bot, config: services.config, logger, limiter })
const input = (over: Record<string, unknown> = {}) => BroadcastInputSchema.parse({ title: 'Autumn menu', text: { ru: '<b>Осеннее меню</b> & скидка 10% <3', en: '<b>Autumn menu</b> is here' }, ...over })
const segment = (over: Record<string, unknown> = {}) => BroadcastSegmentSchema.parse(over)
const previewWorker = broadcastWorkers.find((w) => w.definition.name === 'broadcasts.preview')!
const asApp = (queue = services.queue) => ({ ...services, queue, telegram: {} }) as unknown as AppServices

/** Works the queued preview jobs as the queue would. */
async function workPreviews() {
  for (const job of await services.queued('broadcasts.preview')) await previewWorker.handle(job.data, { services: asApp(), job: {} as never, logger, signal: new AbortController().signal })
  await handle.db.execute(`delete from pgboss.job where name = 'broadcasts.preview'` as never)
}

/** A draft, previewed and scheduled to go now. */
async function readyBroadcast(over: Record<string, unknown> = {}) {
  const owner = services.staff(OWNER, ['owner'])
  const draft = await createBroadcast(owner, input(over))
  await requestPreview(owner, draft.id)
  await workPreviews()
  return scheduleBroadcast(owner, draft.id, null)
}
const sentTo = (chatId: number, marker: string) => services.fake.chatMessages(chatId).filter((m) => String(m.text ?? m.caption ?? '').includes(marker))
const states = async (id: number) => Object.fromEntries((await handle.db.select().from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, id))).map((r) => [r.userId, r.state]))

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle, { PUBLIC_URL: 'https://coffee.example.com' })
  await seedDemoData(handle.db, { people: true })
  routeUpdates(services.bot, services as unknown as AppServices)
  // The sandbox's demo customers agreed to news; here only this file's customers count.
  await handle.db.update(customerProfiles).set({ notifications: { news: false } }).where(inArray(customerProfiles.userId, [9_000_000_001, 9_000_000_002]))
  await customer(A, 'ru', true)
  await customer(B, 'en', true)
  await customer(C, 'ru', true, 40)
  await customer(D, 'ru', false)
  await customer(E, 'en', true)
  // A and D buy a cappuccino (in progress counts as bought); B books the latte-art masterclass.
  const [cappuccino] = await handle.db.select().from(products).where(eq(products.slug, 'cappuccino'))
  const [pickup] = await handle.db.select().from(pickupPoints)
  void deliveryZones
  const operator = services.staff(9_000_000_010, ['operator'])
  for (const buyer of [A, D]) {
    await addToCart(handle.db, buyer, { productId: cappuccino!.id, options: {}, quantity: 1 })
    const { order } = await createOrder(services.customer(buyer), CheckoutSchema.parse({ delivery: { method: 'pickup', pickupPointId: pickup!.id }, contact: { name: 'Мария', phone: '+7 900 123-45-67' }, paymentMethod: 'cash_on_delivery' }), `bc-${buyer}`)
    await changeOrderStatusAsStaff(operator, order.id, 'in_progress')
  }
  const [latte] = await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'latte-art'))
  const { booking } = await holdSlot(services.customer(B), { serviceId: latte!.id, startsAt: new Date(`${day}T12:00:00+03:00`) }, 'bc-hold')
  await confirmBooking(services.customer(B), booking.id)
}, 90_000)
afterAll(async () => {
  await services?.close()
  await handle?.close()
})

describe(`broadcast segments on ${engine}`, () => {
  it('reaches only customers who opted in to news, narrowed by what they bought or booked, language and last visit', async () => {
    const [coffee] = await handle.db.select().from(categories).where(eq(categories.slug, 'coffee'))
    const [cappuccino] = await handle.db.select().from(products).where(eq(products.slug, 'cappuccino'))
    const [latte] = await handle.db.select().from(bookingServices).where(eq(bookingServices.slug, 'latte-art'))
    const ids = async (s: Record<string, unknown>) => {
      const { audienceSql } = await import('../../../../server/services/broadcasts/audience')
      const rows = (await handle.db.execute(audienceSql(segment(s)))) as unknown
      const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { user_id: number | string }[]
      return list.map((r) => Number(r.user_id)).filter((id) => id >= 810_000 && id < 820_000).sort()
    }
    expect(await ids({})).toEqual([A, B, C, E])
    expect(await ids({ productIds: [cappuccino!.id] })).toEqual([A]) // D bought it too, but never opted in
    expect(await ids({ categoryIds: [coffee!.id] })).toEqual([A])
    expect(await ids({ serviceIds: [latte!.id] })).toEqual([B])
    expect(await ids({ productIds: [cappuccino!.id], serviceIds: [latte!.id] })).toEqual([A, B])
    expect(await ids({ locales: ['en'] })).toEqual([B, E])
    expect(await ids({ lastSeenDays: 30 })).toEqual([A, B, E])
    const count = await countAudience(handle.db, segment({ productIds: [cappuccino!.id], serviceIds: [latte!.id] }))
    expect(count).toEqual({ total: 2, ru: 1, en: 1 })
  })
})

describe(`broadcast preview and scheduling on ${engine}`, () => {
  it('refuses to send before the author got a preview of exactly this version, and after an edit until a new preview', async () => {
    const owner = services.staff(OWNER, ['owner'])
    const draft = await createBroadcast(owner, input({ title: 'Gate' }))
    await expect(scheduleBroadcast(owner, draft.id, null)).rejects.toMatchObject({ code: 'broadcast_preview_required' })

    await requestPreview(owner, draft.id)
    await workPreviews()
    const preview = services.fake.chatMessages(OWNER).slice(-4).map((m) => String(m.text))
    // Telegram shows the text with the tags as formatting and "&" and "<" as typed.
    expect(preview).toEqual(['Предпросмотр рассылки (ru)', 'Осеннее меню & скидка 10% <3', 'Broadcast preview (en)', 'Autumn menu is here'])
    expect(services.fake.chatMessages(OWNER).at(-3)!.entities).toEqual([{ type: 'bold', offset: 0, length: 12 }])
    expect((await getBroadcast(handle.db, draft.id)).previewCurrent).toBe(true)

    await updateBroadcast(owner, draft.id, input({ title: 'Gate', text: { ru: 'Другой текст' } }))
    expect((await getBroadcast(handle.db, draft.id)).previewCurrent).toBe(false)
    await expect(scheduleBroadcast(owner, draft.id, null)).rejects.toMatchObject({ code: 'broadcast_preview_required' })
    await requestPreview(owner, draft.id)
    await workPreviews()
    const later = new Date(Date.now() + 3600_000)
    const scheduled = await scheduleBroadcast(owner, draft.id, later)
    expect(scheduled.status).toBe('scheduled')
    await expect(updateBroadcast(owner, draft.id, input())).rejects.toMatchObject({ code: 'broadcast_not_editable' })

    // Not yet time: nothing is sent and nobody is chosen yet; then cancelled, it never goes.
    expect(await runBroadcastSlice(deps(), draft.id)).toEqual({ next: 'later', at: later })
    expect((await cancelBroadcast(owner, draft.id)).status).toBe('cancelled')
    expect(await runBroadcastSlice(deps(), draft.id)).toEqual({ next: 'done' })
    expect(await states(draft.id)).toEqual({})
    const list = await handle.db.select({ action: auditEntries.action }).from(auditEntries).where(and(eq(auditEntries.entityType, 'broadcast'), eq(auditEntries.entityId, String(draft.id)))).orderBy(auditEntries.id)
    expect(list.map((r) => r.action)).toEqual(['broadcast.create', 'broadcast.preview', 'broadcast.update', 'broadcast.preview', 'broadcast.schedule', 'broadcast.cancel'])
  })
})

describe(`broadcast delivery on ${engine}`, () => {
  it('sends each recipient their language with the tracked button and Unsubscribe; counts clicks per person', async () => {
    const sent = await readyBroadcast({ title: 'Lang', text: { ru: 'Привет, lang-1', en: 'Hello, lang-1' }, button: { kind: 'url', text: { ru: 'Меню', en: 'Menu' }, url: 'https://coffee.example.com/menu' }, segment: { productIds: [], serviceIds: [], locales: [], lastSeenDays: 30 } })
    expect(await runBroadcastSlice(deps(), sent.id)).toEqual({ next: 'done' })
    expect(sentTo(A, 'Привет, lang-1')).toHaveLength(1)
    expect(sentTo(B, 'Hello, lang-1')).toHaveLength(1)
    expect(sentTo(C, 'lang-1')).toHaveLength(0) // last seen 40 days ago
    const [message] = sentTo(B, 'Hello, lang-1')
    const buttons = (message!.reply_markup as { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] }).inline_keyboard.flat()
    expect(buttons.map((b) => b.text)).toEqual(['Menu', 'Unsubscribe from news'])
    const [row] = await handle.db.select().from(broadcasts).where(eq(broadcasts.id, sent.id))
    expect(buttons[0]!.url).toBe(`https://coffee.example.com/api/broadcasts/click/${clickToken(row!.clickSecret, sent.id, B)}`)

    const token = buttons[0]!.url!.split('/').at(-1)!
    expect(await recordClick(handle.db, token)).toMatchObject({ url: 'https://coffee.example.com/menu' })
    await recordClick(handle.db, token)
    expect(await recordClick(handle.db, `${sent.id}-${A}-${'x'.repeat(22)}`)).toBeUndefined()
    expect(await recordClick(handle.db, `9999999999-${A}-${'x'.repeat(22)}`)).toBeUndefined() // an id past the column's range is no link of ours, not an error
    const after = await getBroadcast(handle.db, sent.id)
    expect(after).toMatchObject({ status: 'sent', total: 3, clicks: 2, stats: { sent: 3, failed: 0, blocked: 0, pending: 0, clickedBy: 1 } })
  })

  it('pauses the whole broadcast on 429 and writes to nobody before retry_after has passed', async () => {
    const b = await readyBroadcast({ title: '429', text: { ru: 'flood-1', en: 'flood-1' } })
    services.fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } })
    const first = await runBroadcastSlice(deps(), b.id)
    expect(first.next).toBe('later')
    const flood = services.fake.callsOf('sendMessage').filter((c) => String(c.params.text).includes('flood-1') && Number(c.params.chat_id) !== OWNER)
    expect(flood).toHaveLength(1)
    expect((await getBroadcast(handle.db, b.id)).pausedUntil).not.toBeNull()
    // A worker (or a restarted one) coming back early sends nothing.
    expect((await runBroadcastSlice(deps(), b.id)).next).toBe('later')
    expect(services.fake.callsOf('sendMessage').filter((c) => String(c.params.text).includes('flood-1') && Number(c.params.chat_id) !== OWNER)).toHaveLength(1)

    await new Promise((r) => setTimeout(r, (first as { at: Date }).at.getTime() - Date.now() + 10))
    expect(await runBroadcastSlice(deps(), b.id)).toEqual({ next: 'done' })
    const calls = services.fake.callsOf('sendMessage').filter((c) => String(c.params.text).includes('flood-1') && Number(c.params.chat_id) !== OWNER)
    expect(calls[1]!.at.getTime() - calls[0]!.at.getTime()).toBeGreaterThanOrEqual(2000)
    for (const id of [A, B, C, E]) expect(sentTo(id, 'flood-1')).toHaveLength(1)
  })

  it('marks a customer who blocked the bot, and leaves them out of later broadcasts', async () => {
    services.fake.blockedChats.add(E)
    const b = await readyBroadcast({ title: 'Blocked', text: { ru: 'block-1', en: 'block-1' } })
    await runBroadcastSlice(deps(), b.id)
    expect((await states(b.id))[E]).toBe('blocked')
    expect((await getBroadcast(handle.db, b.id)).stats).toMatchObject({ sent: 3, blocked: 1 })
    const [e] = await handle.db.select().from(users).where(eq(users.telegramId, E))
    expect(e!.blockedBotAt).toBeInstanceOf(Date)

    const calls = services.fake.calls.length
    const next = await readyBroadcast({ title: 'After block', text: { ru: 'block-2', en: 'block-2' } })
    await runBroadcastSlice(deps(), next.id)
    expect((await states(next.id))[E]).toBeUndefined()
    expect(services.fake.calls.slice(calls).filter((c) => Number(c.params.chat_id) === E)).toHaveLength(0)
    services.fake.blockedChats.delete(E)
  })

  it('stops writing to a customer who pressed Unsubscribe or sent /stop', async () => {
    const b = await readyBroadcast({ title: 'Stop', text: { ru: 'stop-1', en: 'stop-1' } })
    await runBroadcastSlice(deps(), b.id)
    const [message] = sentTo(A, 'stop-1')
    const a: User = { id: A, is_bot: false, first_name: 'A', language_code: 'ru' }
    await services.bot.handleUpdate(services.fake.updates.callbackQuery(a, 'broadcasts:stop', message as never))
    expect(services.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('Вы отписались от новостей')
    const bUser: User = { id: B, is_bot: false, first_name: 'B', language_code: 'en' }
    await services.bot.handleUpdate(services.fake.updates.command(bUser, 'stop'))
    expect(String(services.fake.chatMessages(B).at(-1)!.text)).toMatch(/^You have unsubscribed/)

    const next = await readyBroadcast({ title: 'After stop', text: { ru: 'stop-2', en: 'stop-2' } })
    await runBroadcastSlice(deps(), next.id)
    expect(sentTo(A, 'stop-2')).toHaveLength(0)
    expect(sentTo(B, 'stop-2')).toHaveLength(0)
    expect(sentTo(C, 'stop-2')).toHaveLength(1)
    // Opting back in from the Mini App's profile brings them back.
    await handle.db.update(customerProfiles).set({ notifications: { news: true } }).where(eq(customerProfiles.userId, A))
    await handle.db.update(customerProfiles).set({ notifications: { news: true } }).where(eq(customerProfiles.userId, B))
  })
})

describe(`a broadcast across a restart on ${engine}`, () => {
  it('reaches every recipient exactly once when the worker is stopped mid-send and another starts', async () => {
    const crowd = Array.from({ length: 40 }, (_, i) => 811_000 + i)
    for (const id of crowd) await customer(id, i18nOf(id), true)
    const b = await readyBroadcast({ title: 'Restart', text: { ru: 'restart-1', en: 'restart-1' }, segment: { locales: [] } })
    const worker = broadcastWorkers.find((w) => w.definition.name === 'broadcasts.send')!

    const first = new JobQueue(handle, logger)
    await first.start()
    await first.register([worker.definition])
    let stopping: Promise<void> | undefined
    const off = services.fake.onCall((call) => {
      if (!stopping && String(call.params.text) === 'restart-1' && Number(call.params.chat_id) !== OWNER && services.fake.callsOf('sendMessage').filter((c) => String(c.params.text) === 'restart-1' && Number(c.params.chat_id) !== OWNER).length === 10) stopping = first.stop(5000)
    })
    await first.work([worker], { services: asApp(first) })
    await eventually(() => stopping !== undefined, 20_000)
    await stopping
    off()
    const midway = Object.values(await states(b.id))
    expect(midway.filter((s) => s === 'sent').length).toBeGreaterThanOrEqual(10)
    expect(midway.filter((s) => s === 'pending').length).toBeGreaterThan(0)
    expect(midway.filter((s) => s === 'sending')).toEqual([])

    const second = new JobQueue(handle, logger)
    await second.start()
    await second.register([worker.definition])
    await second.work([worker], { services: asApp(second) })
    await eventually(async () => (await getBroadcast(handle.db, b.id)).status === 'sent' || undefined, 30_000)
    await second.stop(2000)
    for (const id of [...crowd, A, B, C]) expect(sentTo(id, 'restart-1')).toHaveLength(1)
    expect((await getBroadcast(handle.db, b.id)).stats).toMatchObject({ sent: crowd.length + 3, failed: 0, pending: 0 })
  }, 60_000)

  it('after a crash between claiming and Telegram answering, does not send that one again and says so', async () => {
    const b = await readyBroadcast({ title: 'Crash', text: { ru: 'crash-1', en: 'crash-1' }, segment: { locales: ['en'] } })
    // Start it, then leave one recipient claimed as a crashed worker would.
    await runBroadcastSlice(deps(), b.id, { maxMs: 0 })
    await handle.db.update(broadcastRecipients).set({ state: 'sending' }).where(and(eq(broadcastRecipients.broadcastId, b.id), eq(broadcastRecipients.userId, B)))
    expect(await runBroadcastSlice(deps(), b.id)).toEqual({ next: 'done' })
    expect((await states(b.id))[B]).toBe('unknown')
    expect(sentTo(B, 'crash-1')).toHaveLength(0)
    expect(sentTo(811_001, 'crash-1')).toHaveLength(1)
  })
})

function i18nOf(id: number) {
  return id % 2 ? 'en' : 'ru'
}
