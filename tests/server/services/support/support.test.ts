import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../../../../server/db/client'
import { supportConversations, supportMessages, userRoles, users } from '../../../../server/db/schema'
import { supportWorkers } from '../../../../server/jobs/support'
import type { JobDeps } from '../../../../server/composition-root'
import { setSetting } from '../../../../server/services/settings'
import { assignConversation, customerConversation, getConversation, inboxCounts, listInbox, rateConversation, recordCustomerMessage, replyAsOperator, retryDelivery, setConversationStatus } from '../../../../server/services/support'
import { createArticle, listArticles, recordArticleFeedback, getArticle } from '../../../../server/services/support/articles'
import { withinHours, DEFAULT_SUPPORT_HOURS } from '../../../../server/services/support/hours'
import { deliverSupportMessageJob, MAX_DELIVERY_ATTEMPTS } from '../../../../server/services/support/jobs'
import { DomainError } from '../../../../server/utils/errors'
import { InboxQuerySchema } from '../../../../shared/schemas/support'
import { createTestDatabase, engine } from '../../../helpers/db'
import { createTestServices, type TestServices } from '../../../helpers/context'
import { createLogger } from '../../../../server/utils/logger'

let handle: DatabaseHandle
let services: TestServices
const OPERATOR = 800_001
const OTHER_OPERATOR = 800_002
const MANAGER_OF_NOTHING = 800_003
let nextCustomer = 810_000

const ALWAYS_OPEN = { ...DEFAULT_SUPPORT_HOURS, days: Array.from({ length: 7 }, () => ({ from: '00:00', to: '00:00' })) }
const ALWAYS_CLOSED = { ...DEFAULT_SUPPORT_HOURS, days: Array.from({ length: 7 }, () => null) }

beforeAll(async () => {
  handle = await createTestDatabase()
  services = await createTestServices(handle)
  for (const [id, role] of [[OPERATOR, 'operator'], [OTHER_OPERATOR, 'operator'], [MANAGER_OF_NOTHING, 'staff']] as const) {
    await handle.db.insert(users).values({ telegramId: id, firstName: `Staff ${id}` })
    await handle.db.insert(userRoles).values({ telegramId: id, role })
  }
  await createArticle(services.staff(OPERATOR, ['owner']), { slug: 'delivery-time', category: 'delivery', title: { ru: 'Сколько ждать доставку', en: 'How long delivery takes' }, body: { ru: 'Курьер привозит заказ за 60 минут.', en: 'A courier brings the order within 60 minutes.' }, position: 0, published: true })
  await createArticle(services.staff(OPERATOR, ['owner']), { slug: 'refunds', category: 'payment', title: { ru: 'Возврат денег', en: 'Refunds' }, body: { ru: 'Деньги вернутся на карту за 3 дня.', en: 'Money returns to the card within 3 days.' }, position: 0, published: true })
  await createArticle(services.staff(OPERATOR, ['owner']), { slug: 'draft', category: 'payment', title: { ru: 'Черновик', en: 'Draft' }, body: { ru: 'Не готово', en: 'Not ready' }, position: 1, published: false })
})
afterAll(async () => {
  await services?.close()
  await handle?.close()
})
beforeEach(async () => {
  await setSetting(handle.db, 'support.hours', ALWAYS_OPEN)
  services.fake.clear()
})

async function newCustomer(languageCode = 'ru') {
  const id = ++nextCustomer
  await handle.db.insert(users).values({ telegramId: id, firstName: `Клиент ${id}`, languageCode })
  return id
}
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.code : String(e)))
const fromChat = (customerId: number, messageId: number, text: string | null, extra: Partial<Parameters<typeof recordCustomerMessage>[1]> = {}) =>
  recordCustomerMessage({ ...services.customer(customerId), actor: { kind: 'customer', userId: customerId, via: 'bot' } }, { text, sourceKey: `tg:${customerId}:${messageId}`, via: 'bot', locale: 'ru', ...extra })
const deps = () => ({ services: services as unknown as JobDeps['services'], logger: createLogger({ level: 'silent' }), job: {} as never })
const worker = (name: string) => supportWorkers.find((w) => w.definition.name === name)!
async function deliverQueued() {
  for (const job of await services.queued(deliverSupportMessageJob.name)) {
    await worker(deliverSupportMessageJob.name).handle(job.data as never, deps()).catch(() => {})
  }
  await handle.db.execute(`delete from pgboss.job where name = '${deliverSupportMessageJob.name}'` as never)
}
const sentTo = (chatId: number) => services.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chatId).map((c) => String(c.params.text))

describe(`support conversations on ${engine}`, () => {
  it('stores a chat message once, even when Telegram redelivers it concurrently', async () => {
    const customer = await newCustomer()
    const results = await Promise.all(Array.from({ length: 6 }, () => fromChat(customer, 1, 'Где мой заказ?')))
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1)
    const conversation = await customerConversation(handle.db, customer)
    expect(conversation!.messages.filter((m) => m.kind === 'customer').map((m) => m.text)).toEqual(['Где мой заказ?'])
    expect(conversation!.conversation).toMatchObject({ status: 'open', unreadForStaff: 1, lastMessagePreview: 'Где мой заказ?' })
    // Operators are told once.
    expect((await services.queued('support.notify-operators')).filter((j) => j.data.conversationId === conversation!.conversation.id)).toHaveLength(1)
  })

  it('puts concurrent different messages of one customer into one conversation', async () => {
    const customer = await newCustomer()
    await Promise.all(Array.from({ length: 5 }, (_, i) => fromChat(customer, 10 + i, `сообщение ${i}`)))
    const rows = await handle.db.select().from(supportConversations).where(eq(supportConversations.customerId, customer))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.unreadForStaff).toBe(5)
  })

  it('keeps photos and files as Telegram file references', async () => {
    const customer = await newCustomer()
    await fromChat(customer, 1, 'вот чек', { attachment: { kind: 'photo', fileId: 'AgACAgIAAx', fileUniqueId: 'AQAD', size: 51_200 } })
    await fromChat(customer, 2, null, { attachment: { kind: 'document', fileId: 'BQACAgIAAx', fileName: 'receipt.pdf', mimeType: 'application/pdf' } })
    const { messages } = (await customerConversation(handle.db, customer))!
    expect(messages.filter((m) => m.kind === 'customer').map((m) => m.attachment?.fileId)).toEqual(['AgACAgIAAx', 'BQACAgIAAx'])
  })

  it('acknowledges a new chat conversation with the expected wait and matching articles', async () => {
    const customer = await newCustomer()
    await fromChat(customer, 1, 'возврат денег')
    const { messages } = (await customerConversation(handle.db, customer))!
    const auto = messages.filter((m) => m.kind === 'auto')
    expect(auto).toHaveLength(1)
    expect(auto[0]!.text).toContain('15 мин')
    expect(auto[0]!.text).toContain('Возврат денег')
    await deliverQueued()
    expect(sentTo(customer)[0]).toContain('Оператор ответит здесь')
  })

  it('answers outside working hours with the auto-reply, once per 12 hours', async () => {
    await setSetting(handle.db, 'support.hours', ALWAYS_CLOSED)
    const customer = await newCustomer()
    await fromChat(customer, 1, 'Вы работаете?')
    await fromChat(customer, 2, 'Алло')
    const { messages } = (await customerConversation(handle.db, customer))!
    expect(messages.filter((m) => m.kind === 'auto').map((m) => m.text)).toEqual([DEFAULT_SUPPORT_HOURS.autoReply.ru])
  })

  it('relays an operator reply through the queue; the conversation then waits for the customer', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Здравствуйте')
    await deliverQueued()
    services.fake.clear()
    const reply = await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { text: 'Добрый день! Чем помочь?' })
    expect(reply.delivery).toBe('pending')
    const after = await getConversation(handle.db, conversationId)
    expect(after.conversation).toMatchObject({ status: 'waiting', assigneeId: OPERATOR, unreadForStaff: 0, unreadForCustomer: 1 })
    expect(after.conversation.firstResponseAt).toBeInstanceOf(Date)
    await deliverQueued()
    expect(sentTo(customer)).toEqual(['Добрый день! Чем помочь?'])
    expect((await getConversation(handle.db, conversationId)).messages.find((m) => m.id === reply.id)).toMatchObject({ delivery: 'sent' })
    // The customer answers: open again.
    await fromChat(customer, 2, 'Спасибо')
    expect((await getConversation(handle.db, conversationId)).conversation.status).toBe('open')
  })

  it('sends an operator’s photo without words to the customer’s chat by its file_id; the inbox shows [photo]', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Покажите, как выглядит упаковка')
    await deliverQueued()
    services.fake.clear()
    // The operator's photo, as Telegram has it (the largest size of a photo posted in the topic).
    const posted = services.fake.updates.file({ id: OPERATOR, is_bot: false, first_name: 'Staff' }, 'photo').message as unknown as { photo: { file_id: string; file_size: number }[] }
    const photo = posted.photo.at(-1)!
    const reply = await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { attachment: { kind: 'photo', fileId: photo.file_id, size: photo.file_size } })
    expect(reply).toMatchObject({ kind: 'operator', text: null, attachment: { kind: 'photo', fileId: photo.file_id }, delivery: 'pending' })
    expect((await getConversation(handle.db, conversationId)).conversation).toMatchObject({ status: 'waiting', lastMessagePreview: '[photo]', unreadForCustomer: 1 })
    await deliverQueued()
    const sent = services.fake.callsOf('sendPhoto').filter((c) => Number(c.params.chat_id) === customer)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.params.photo).toBe(photo.file_id)
    expect(sent[0]!.params.caption).toBeUndefined()
    expect(services.fake.chatMessages(customer).at(-1)).toMatchObject({ photo: [{ file_id: photo.file_id }] })
    expect(sentTo(customer)).toEqual([])
    expect((await getConversation(handle.db, conversationId)).messages.find((m) => m.id === reply.id)).toMatchObject({ delivery: 'sent' })
    // Nothing without content, and no kinds Telegram would not take as a photo or a document.
    const op = services.staff(OPERATOR, ['operator'])
    expect(await codeOf(replyAsOperator(op, conversationId, { text: null }))).toBe('validation_failed')
    expect(await codeOf(replyAsOperator(op, conversationId, { attachment: { kind: 'sticker', fileId: photo.file_id } }))).toBe('validation_failed')
  })

  it('marks an operator’s document to a customer who blocked the bot as blocked', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Пришлите договор')
    await deliverQueued()
    const reply = await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { text: 'Договор во вложении', attachment: { kind: 'document', fileId: 'BQACAgIAAxkBAAIunknown', fileName: 'contract.pdf' } })
    services.fake.failNext('sendDocument', { error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    await deliverQueued()
    const [stored] = await handle.db.select().from(supportMessages).where(eq(supportMessages.id, reply.id))
    expect(stored).toMatchObject({ delivery: 'blocked' })
    expect(services.fake.callsOf('sendDocument').at(-1)!.params).toMatchObject({ chat_id: customer, document: 'BQACAgIAAxkBAAIunknown', caption: 'Договор во вложении' })
  })

  it('keeps internal notes away from the customer', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Вопрос')
    await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { text: 'Постоянный клиент', note: true })
    expect((await getConversation(handle.db, conversationId)).messages.map((m) => m.kind)).toContain('note')
    expect((await customerConversation(handle.db, customer))!.messages.map((m) => m.kind)).not.toContain('note')
    expect(await services.queued(deliverSupportMessageJob.name)).toHaveLength(1) // only the acknowledgement
  })

  it('marks a reply to a customer who blocked the bot, and does not retry it', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Вопрос')
    await deliverQueued()
    const reply = await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { text: 'Ответ' })
    services.fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    await deliverQueued()
    const [stored] = await handle.db.select().from(supportMessages).where(eq(supportMessages.id, reply.id))
    expect(stored).toMatchObject({ delivery: 'blocked' })
    const [user] = await handle.db.select().from(users).where(eq(users.telegramId, customer))
    expect(user!.blockedBotAt).toBeInstanceOf(Date)
    // The operator sends it again once the customer is back (writing to the bot unblocks).
    await handle.db.update(users).set({ blockedBotAt: null }).where(eq(users.telegramId, customer))
    await retryDelivery(services.staff(OPERATOR, ['operator']), reply.id)
    await deliverQueued()
    expect(sentTo(customer)).toContain('Ответ')
  })

  it('marks a reply failed after the last attempt, with the error, for the operator to see', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Вопрос')
    await deliverQueued()
    const reply = await replyAsOperator(services.staff(OPERATOR, ['operator']), conversationId, { text: 'Ответ' })
    services.fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' }, MAX_DELIVERY_ATTEMPTS)
    const job = worker(deliverSupportMessageJob.name)
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) await expect(job.handle({ messageId: reply.id }, deps())).rejects.toThrow()
    await job.handle({ messageId: reply.id }, deps()) // the last attempt records and stops
    const [stored] = await handle.db.select().from(supportMessages).where(eq(supportMessages.id, reply.id))
    expect(stored).toMatchObject({ delivery: 'failed', deliveryAttempts: MAX_DELIVERY_ATTEMPTS })
    expect(stored!.deliveryError).toContain('Internal Server Error')
  })

  it('assigns only to operators, closes with a rating request, and takes the rating once closed', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Вопрос')
    const op = services.staff(OPERATOR, ['operator'])
    expect(await codeOf(assignConversation(op, conversationId, MANAGER_OF_NOTHING))).toBe('validation_failed')
    expect((await assignConversation(op, conversationId, OTHER_OPERATOR)).assigneeId).toBe(OTHER_OPERATOR)
    expect(await codeOf(rateConversation(services.customer(customer), conversationId, { rating: 5 }))).toBe('conflict')
    const closed = await setConversationStatus(op, conversationId, 'closed')
    expect(closed.closedAt).toBeInstanceOf(Date)
    expect((await services.queued('support.ask-rating')).map((j) => j.data.conversationId)).toContain(conversationId)
    expect(await codeOf(replyAsOperator(op, conversationId, { text: 'ещё' }))).toBe('conversation_closed')
    expect(await codeOf(rateConversation(services.customer(customer + 1000), conversationId, { rating: 1 }))).not.toBe('ok')
    expect(await rateConversation(services.customer(customer), conversationId, { rating: 4, comment: 'Быстро' })).toMatchObject({ rating: 4, ratingComment: 'Быстро' })
    // Writing again starts a new conversation; the old one cannot be reopened beside it.
    const second = await fromChat(customer, 2, 'Новый вопрос')
    expect(second.conversationId).not.toBe(conversationId)
    expect(await codeOf(setConversationStatus(op, conversationId, 'open'))).toBe('conflict')
  })

  it('refuses customers and non-operators where operators act', async () => {
    const customer = await newCustomer()
    const { conversationId } = await fromChat(customer, 1, 'Вопрос')
    expect(await codeOf(replyAsOperator(services.customer(customer), conversationId, { text: 'x' }))).toBe('forbidden')
    expect(await codeOf(replyAsOperator(services.staff(MANAGER_OF_NOTHING, ['staff']), conversationId, { text: 'x' }))).toBe('forbidden')
    expect(await codeOf(setConversationStatus(services.staff(OPERATOR, ['operator']), 2_000_000, 'closed'))).toBe('not_found')
  })

  it('lists the inbox by folder with counters and a stable cursor', async () => {
    const op = services.staff(OTHER_OPERATOR, ['operator'])
    const ids: number[] = []
    for (let i = 0; i < 3; i++) ids.push((await fromChat(await newCustomer(), 1, `inbox ${i}`)).conversationId)
    await assignConversation(op, ids[0]!, OTHER_OPERATOR)
    const q = (folder: string, cursor?: number) => InboxQuerySchema.parse({ folder, limit: 2, ...(cursor && { cursor }) })
    const mine = await listInbox(handle.db, q('mine'), OTHER_OPERATOR)
    expect(mine.items.map((c) => c.id)).toContain(ids[0])
    const first = await listInbox(handle.db, q('new'), OPERATOR)
    const second = await listInbox(handle.db, q('new', first.nextCursor!), OPERATOR)
    expect(first.items).toHaveLength(2)
    expect(new Set([...first.items, ...second.items].map((c) => c.id)).size).toBe(first.items.length + second.items.length)
    const counts = await inboxCounts(handle.db, OTHER_OPERATOR)
    expect(counts.mine).toBeGreaterThanOrEqual(1)
    expect(counts.unread).toBeGreaterThanOrEqual(3)
  })

  it('checks that the order a customer asks about is theirs', async () => {
    const customer = await newCustomer()
    expect(await codeOf(fromChat(customer, 1, 'про заказ', { orderId: 999_999 }))).toBe('not_found')
  })
})

describe(`the answer base on ${engine}`, () => {
  it('searches in both languages, forgiving typos and the other keyboard layout, published only', async () => {
    const slugs = async (q: string) => (await listArticles(handle.db, { q })).map((a) => a.slug)
    expect(await slugs('доставку')).toContain('delivery-time')
    expect(await slugs('refund')).toContain('refunds')
    expect(await slugs('возвратт')).toContain('refunds')
    expect(await slugs('djpdhfn')).toContain('refunds')
    expect(await slugs('черновик')).toEqual([])
    expect((await listArticles(handle.db, {})).map((a) => a.slug)).toEqual(['delivery-time', 'refunds'])
    expect(await codeOf(getArticle(handle.db, 'draft'))).toBe('not_found')
  })

  it('counts "did this help?"', async () => {
    await recordArticleFeedback(handle.db, 'refunds', true)
    await recordArticleFeedback(handle.db, 'refunds', false)
    await recordArticleFeedback(handle.db, 'refunds', true)
    expect(await getArticle(handle.db, 'refunds')).toMatchObject({ helpfulYes: 2, helpfulNo: 1 })
    expect(await codeOf(recordArticleFeedback(handle.db, 'draft', true))).toBe('not_found')
  })
})

describe('working hours', () => {
  const hours = { ...DEFAULT_SUPPORT_HOURS, days: [null, { from: '09:00', to: '18:00' }, null, null, null, { from: '20:00', to: '02:00' }, null] }
  it('knows the business day in its time zone, including windows past midnight', () => {
    // Monday 2026-11-30 10:00 in Moscow = 07:00 UTC.
    expect(withinHours(hours, 'Europe/Moscow', new Date('2026-11-30T07:00:00Z'))).toBe(true)
    expect(withinHours(hours, 'Europe/Moscow', new Date('2026-11-30T16:00:00Z'))).toBe(false)
    // Friday 23:00 and Saturday 01:00 Moscow.
    expect(withinHours(hours, 'Europe/Moscow', new Date('2026-12-04T20:00:00Z'))).toBe(true)
    expect(withinHours(hours, 'Europe/Moscow', new Date('2026-12-04T22:00:00Z'))).toBe(true)
    expect(withinHours(hours, 'Europe/Moscow', new Date('2026-12-05T00:00:00Z'))).toBe(false)
  })
})
