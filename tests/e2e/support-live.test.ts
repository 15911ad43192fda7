/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are read as loose JSON; their shapes are what the assertions check */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { createPostgresDatabase, engine } from '../helpers/db'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * The live half of support on the built app, through the real webhook and the fake Bot API: the
 * operators' Telegram group (a topic per conversation, the customer's messages copied in, an
 * operator's answer in the topic reaching the customer, /close and closing in /admin closing the
 * topic) and the Server-Sent Events stream of /admin hearing a new message, also when it arrived
 * through another app process (PostgreSQL LISTEN/NOTIFY; on PGlite there is one process).
 */
const SECRET = 'support-live-webhook-secret-0123456789'
const OWNER: InitUser = { id: 790_000_001, first_name: 'Ольга', language_code: 'ru' }
const MARIA: InitUser = { id: 790_000_002, first_name: 'Мария', last_name: 'Петрова', language_code: 'ru' }
const STRANGER: InitUser = { id: 790_000_003, first_name: 'Гость', language_code: 'ru' }
const EMMA: InitUser = { id: 790_000_004, first_name: 'Emma', language_code: 'en' }
const PAVEL: InitUser = { id: 790_000_005, first_name: 'Павел', language_code: 'ru' }

let fake: FakeBotApi
let app: RunningApp
/** A second process on the same PostgreSQL database (undefined on PGlite). */
let second: RunningApp | undefined
let dropDatabase: (() => Promise<void>) | undefined
let group: number

const asUser = (user: InitUser) => ({ ...user, is_bot: false })
const deliver = (update: unknown, to: RunningApp = app) =>
  fetch(`${to.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })
async function api<T = any>(user: InitUser, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...tmaHeaders(user, fake.token), ...(init.body !== undefined && { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: (await res.json()) as T }
}
const conversationsOf = async (user: InitUser, folder = 'open') => (await api(OWNER, `/api/admin/support/conversations?folder=${folder}&limit=100`)).body.items.filter((c: any) => c.customerId === user.id)
const conversation = async (id: number) => (await api(OWNER, `/api/admin/support/conversations/${id}`)).body
const topicCalls = (method: string, thread: number) => fake.callsOf(method).filter((c) => Number(c.params.chat_id) === group && Number(c.params.message_thread_id) === thread)
const sentTo = (user: InitUser) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)

/** Reads Server-Sent Events from an open stream: `next(name)` resolves with the next event of that name. */
function eventReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  const queue: { event: string; data: string; id?: string }[] = []
  let buffer = ''
  async function fill() {
    const { value, done } = await reader.read()
    if (done) throw new Error('the stream ended')
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim()
      queue.push({ event: field('event') ?? 'message', data: field('data') ?? '', id: field('id') })
    }
  }
  return {
    async next(name: string, where: (data: any) => boolean = () => true) {
      for (;;) {
        const index = queue.findIndex((e) => e.event === name && where(JSON.parse(e.data || 'null')))
        if (index !== -1) return queue.splice(index, 1)[0]!
        await fill()
      }
    },
    cancel: () => reader.cancel(),
  }
}
const openStream = (to: RunningApp, user: InitUser, signal: AbortSignal, headers: Record<string, string> = {}) => fetch(`${to.url}/api/admin/support/events`, { headers: { ...tmaHeaders(user, fake.token), ...headers }, signal })

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
  group = fake.createForumSupergroup()
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_UPDATES: 'webhook',
    PUBLIC_URL: 'https://shop.example.com',
    SESSION_SECRET: 'support-live-secret-'.padEnd(48, 'x'),
    ADMIN_TELEGRAM_IDS: String(OWNER.id),
  }
  if (engine === 'postgres') {
    const database = await createPostgresDatabase()
    dropDatabase = database.drop
    app = await startApp({ databaseUrl: database.url, env })
    second = await startApp({ databaseUrl: database.url, env })
  } else app = await startApp({ env })
  expect((await api(OWNER, '/api/me')).status).toBe(200)
  const allDay = Array.from({ length: 7 }, () => ({ from: '00:00', to: '00:00' }))
  expect((await api(OWNER, '/api/admin/support/hours', { method: 'POST', body: { days: allDay, autoReply: { ru: 'Закрыто.', en: 'Closed.' }, expectedReplyMinutes: 10 } })).status).toBe(200)
  expect((await api(OWNER, '/api/admin/support/operator-group', { method: 'POST', body: { chatId: group } })).body).toEqual({ chatId: group })
}, 240_000)

afterAll(async () => {
  await Promise.all([app?.stop(), second?.stop()])
  await dropDatabase?.()
  await fake?.close()
})

describe('the operators’ group in Telegram: a forum topic per conversation', () => {
  it('makes a topic for a new conversation and copies the customer’s text, photo and document into it', async () => {
    expect((await deliver(fake.updates.message(asUser(MARIA), 'Здравствуйте, заказ не пришёл'))).status).toBe(200)
    const [conv] = await eventually(async () => ((await conversationsOf(MARIA)).length ? conversationsOf(MARIA) : undefined), 15_000)
    const created = await fake.waitFor('createForumTopic', (p) => Number(p.chat_id) === group, 15_000)
    expect(created.params.name).toBe(`Мария Петрова #${conv.id}`)
    const thread = [...fake.forums.get(group)!.entries()].find(([, t]) => t.name === created.params.name)![0]
    await eventually(() => topicCalls('copyMessage', thread).length === 1 || undefined, 15_000)
    expect(Number(topicCalls('copyMessage', thread)[0]!.params.from_chat_id)).toBe(MARIA.id)

    await deliver(fake.updates.file(asUser(MARIA), 'photo', { caption: 'Вот чек' }))
    // Updates are handled concurrently after the 200: two sent in the same instant may be stored either way round.
    await eventually(() => topicCalls('copyMessage', thread).length === 2 || undefined, 20_000)
    await deliver(fake.updates.file(asUser(MARIA), 'document', { file_name: 'receipt.pdf' }))
    const inTopic = await eventually(() => {
      const messages = fake.chatMessages(group).filter((m) => m.message_thread_id === thread && !m.forum_topic_created)
      return messages.length === 3 ? messages : undefined
    }, 20_000)
    expect(inTopic.map((m) => (m.text ? 'text' : m.photo ? 'photo' : m.document ? 'document' : '?'))).toEqual(['text', 'photo', 'document'])
    expect(inTopic[1]!.caption).toBe('Вот чек')
    expect((inTopic[2]!.document as any).file_name).toBe('receipt.pdf')
    // Still one topic for the one conversation.
    expect(fake.callsOf('createForumTopic')).toHaveLength(1)
  })

  it('an operator’s answer in the topic reaches the customer once, recorded as theirs; a stranger gets a hint and nothing is sent', async () => {
    const [conv] = await conversationsOf(MARIA)
    const thread = conv && (await eventually(() => [...fake.forums.get(group)!.keys()][0], 5000))
    fake.clear()
    expect((await deliver(fake.updates.topicMessage(asUser(STRANGER), group, thread, 'Я тоже хочу ответить'))).status).toBe(200)
    const hint = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === group && Number(p.message_thread_id) === thread, 10_000)
    expect(String(hint.params.text)).toContain('только сотрудники')

    const answer = fake.updates.topicMessage(asUser(OWNER), group, thread, 'Курьер уже едет, будет через 15 минут')
    const statuses = await Promise.all([deliver(answer), deliver(answer)])
    expect(statuses.map((r) => r.status)).toEqual([200, 200])
    await eventually(() => sentTo(MARIA).some((c) => c.params.text === 'Курьер уже едет, будет через 15 минут') || undefined, 15_000)
    const view = await eventually(async () => {
      const v = await conversation(conv.id)
      return v.messages.some((m: any) => m.kind === 'operator' && m.delivery === 'sent') ? v : undefined
    }, 15_000)
    const operatorMessages = view.messages.filter((m: any) => m.kind === 'operator')
    expect(operatorMessages).toHaveLength(1)
    expect(operatorMessages[0]).toMatchObject({ authorId: OWNER.id, text: 'Курьер уже едет, будет через 15 минут' })
    expect(view.messages.some((m: any) => m.text === 'Я тоже хочу ответить')).toBe(false)
    expect(sentTo(MARIA).filter((c) => c.params.text === 'Курьер уже едет, будет через 15 минут')).toHaveLength(1)
    expect(view.conversation.status).toBe('waiting')
    // Not echoed back into the topic: it is there already.
    expect(topicCalls('sendMessage', thread).filter((c) => String(c.params.text).includes('Курьер уже едет'))).toHaveLength(0)
  })

  it('an operator’s photo or document in the topic reaches the customer with its caption, once; a sticker gets a hint', async () => {
    const [conv] = await conversationsOf(MARIA)
    const thread = [...fake.forums.get(group)!.keys()][0]!
    fake.clear()
    const fileOf = (m: any, kind: 'photo' | 'document') => (kind === 'photo' ? m.photo?.at(-1) : m.document)
    const inChat = (kind: 'photo' | 'document', fileId: string) => fake.chatMessages(MARIA.id).filter((m) => fileOf(m, kind)?.file_id === fileId && (m.from as any).is_bot)

    // A photo with a caption, delivered twice at once by Telegram.
    const photo = fake.updates.topicFile(asUser(OWNER), group, thread, 'photo', { caption: 'Так выглядит упаковка' })
    const photoId = fileOf(photo.message, 'photo').file_id
    expect((await Promise.all([deliver(photo), deliver(photo)])).map((r) => r.status)).toEqual([200, 200])
    const [sentPhoto] = await eventually(() => (inChat('photo', photoId).length ? inChat('photo', photoId) : undefined), 15_000)
    expect(sentPhoto!.caption).toBe('Так выглядит упаковка')

    // A document without words, the same message arriving at once in two updates (stored once by chat and message id).
    const document = fake.updates.topicFile(asUser(OWNER), group, thread, 'document', { file_name: 'invoice.pdf' })
    const documentId = fileOf(document.message, 'document').file_id
    expect((await Promise.all([deliver(document), deliver({ ...document, update_id: fake.nextUpdateId() })])).map((r) => r.status)).toEqual([200, 200])
    const [sentDocument] = await eventually(() => (inChat('document', documentId).length ? inChat('document', documentId) : undefined), 15_000)
    expect(sentDocument).toMatchObject({ document: { file_name: 'invoice.pdf' } })
    expect(sentDocument!.caption).toBeUndefined()

    // Operators see both as the owner's answers in /admin, delivered.
    const view = await eventually(async () => {
      const v = await conversation(conv.id)
      const files = v.messages.filter((m: any) => m.kind === 'operator' && m.attachment)
      return files.length === 2 && files.every((m: any) => m.delivery === 'sent') ? v : undefined
    }, 15_000)
    expect(view.messages.filter((m: any) => m.kind === 'operator' && m.attachment).map((m: any) => [m.authorId, m.attachment.kind, m.text])).toEqual([
      [OWNER.id, 'photo', 'Так выглядит упаковка'],
      [OWNER.id, 'document', null],
    ])
    // The customer sees them in the Mini App (by kind and name; Telegram's file ids stay on the server).
    const mine = (await api(MARIA, '/api/support/conversation')).body.messages.filter((m: any) => m.from === 'business' && m.attachment)
    expect(mine.map((m: any) => [m.attachment, m.text])).toEqual([
      [{ kind: 'photo', fileName: null }, 'Так выглядит упаковка'],
      [{ kind: 'document', fileName: 'invoice.pdf' }, null],
    ])
    expect(JSON.stringify(mine)).not.toContain(photoId)
    // Nobody else does.
    expect(JSON.stringify((await api(STRANGER, '/api/support/conversation')).body)).not.toContain('invoice.pdf')

    // A sticker cannot go: the operator is told in the topic, the customer gets nothing.
    const sticker = fake.updates.topicFile(asUser(OWNER), group, thread, 'sticker')
    expect((await deliver(sticker)).status).toBe(200)
    const hint = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === group && Number(p.message_thread_id) === thread, 10_000)
    expect(String(hint.params.text)).toContain('только текст, фото и файлы')

    expect(inChat('photo', photoId)).toHaveLength(1)
    expect(inChat('document', documentId)).toHaveLength(1)
    const toMaria = (method: string) => fake.callsOf(method).filter((c) => Number(c.params.chat_id) === MARIA.id)
    expect([toMaria('sendPhoto').length, toMaria('sendDocument').length, toMaria('sendMessage').length, toMaria('sendSticker').length]).toEqual([1, 1, 0, 0])
    // Not echoed back into the topic: they are there already.
    expect([...topicCalls('sendMessage', thread), ...topicCalls('copyMessage', thread)].filter((c) => c !== hint)).toHaveLength(0)
    const after = await conversation(conv.id)
    expect(after.messages.filter((m: any) => m.kind === 'operator' && m.attachment)).toHaveLength(2)
    expect(after.conversation.lastMessagePreview).toBe('[document]')
  })

  it('an answer written in /admin shows in the topic; closing in /admin closes the topic', async () => {
    const [conv] = await conversationsOf(MARIA)
    const thread = [...fake.forums.get(group)!.keys()][0]!
    expect((await api(OWNER, `/api/admin/support/conversations/${conv.id}/messages`, { method: 'POST', body: { text: 'Напишите, если что-то не так' } })).status).toBe(201)
    const copy = await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === group && Number(p.message_thread_id) === thread && String(p.text).includes('Напишите, если что-то не так'), 15_000)
    expect(String(copy.params.text)).toMatch(/^Ольга: /)
    expect((await api(OWNER, `/api/admin/support/conversations/${conv.id}/status`, { method: 'POST', body: { status: 'closed' } })).status).toBe(200)
    await fake.waitFor('closeForumTopic', (p) => Number(p.chat_id) === group && Number(p.message_thread_id) === thread, 15_000)
    expect(fake.forums.get(group)!.get(thread)!.closed).toBe(true)
  })

  it('/close in a topic closes the conversation and the topic; a new conversation gets a new topic', async () => {
    expect((await deliver(fake.updates.message(asUser(EMMA), 'Hello, is the shop open on Sunday?'))).status).toBe(200)
    const created = await fake.waitFor('createForumTopic', (p) => String(p.name).startsWith('Emma #'), 15_000)
    const thread = [...fake.forums.get(group)!.entries()].find(([, t]) => t.name === created.params.name)![0]
    await eventually(() => topicCalls('copyMessage', thread).length === 1 || undefined, 15_000)
    expect((await deliver(fake.updates.topicMessage(asUser(OWNER), group, thread, '/close'))).status).toBe(200)
    await eventually(async () => (await conversationsOf(EMMA, 'closed')).length === 1 || undefined, 15_000)
    await fake.waitFor('closeForumTopic', (p) => Number(p.message_thread_id) === thread, 15_000)
    expect(fake.forums.get(group)!.get(thread)!.closed).toBe(true)
    // The customer gets the rating question, not the word "/close".
    expect(sentTo(EMMA).some((c) => c.params.text === '/close')).toBe(false)
    await fake.waitFor('sendMessage', (p) => Number(p.chat_id) === EMMA.id && JSON.stringify(p.reply_markup ?? '').includes('support:rate:'), 15_000)

    expect((await deliver(fake.updates.message(asUser(EMMA), 'One more question'))).status).toBe(200)
    await eventually(() => fake.callsOf('createForumTopic').filter((c) => String(c.params.name).startsWith('Emma #')).length === 2 || undefined, 15_000)
  })
})

describe('live updates for /admin (Server-Sent Events over LISTEN/NOTIFY)', () => {
  it('refuses a stream to a customer and to nobody', async () => {
    expect((await fetch(`${app.url}/api/admin/support/events`)).status).toBe(401)
    const res = await fetch(`${app.url}/api/admin/support/events`, { headers: tmaHeaders(PAVEL, fake.token) })
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('forbidden')
  })

  it('an operator’s stream hears a new customer message, also one that arrived through another app process', async () => {
    const aborter = new AbortController()
    // On PostgreSQL the stream is on the second process and the message goes to the first.
    const listener = second ?? app
    try {
      const res = await openStream(listener, OWNER, aborter.signal)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/event-stream')
      const events = eventReader(res)
      const ready = await events.next('ready')
      expect(JSON.parse(ready.data)).toEqual({ resync: false })
      expect((await deliver(fake.updates.message(asUser(PAVEL), 'Можно заказать торт на субботу?'), app)).status).toBe(200)
      const [conv] = await eventually(async () => ((await conversationsOf(PAVEL)).length ? conversationsOf(PAVEL) : undefined), 15_000)
      const change = await events.next('change', (d) => d.ids.includes(conv.id))
      expect(change.id).toMatch(/^\d+-\d+$/)
      // An operator's answer (a delivery state changing later) is heard as well.
      expect((await api(OWNER, `/api/admin/support/conversations/${conv.id}/messages`, { method: 'POST', body: { text: 'Да, можно' } })).status).toBe(201)
      await events.next('change', (d) => d.ids.includes(conv.id))
      await events.cancel()
    } finally {
      aborter.abort()
    }
  })

  it('a reconnect with Last-Event-ID is told to re-read what it may have missed', async () => {
    const aborter = new AbortController()
    try {
      const res = await openStream(app, OWNER, aborter.signal, { 'last-event-id': '0-5' })
      const events = eventReader(res)
      expect(JSON.parse((await events.next('ready')).data)).toEqual({ resync: true })
      await events.cancel()
    } finally {
      aborter.abort()
    }
  })
})
