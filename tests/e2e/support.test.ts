/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are read as loose JSON; their shapes are what the assertions check */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../server/telegram/fake-bot-api'
import { startApp, type RunningApp } from '../helpers/app'
import { eventually } from '../helpers/eventually'
import { tmaHeaders, type InitUser } from '../helpers/telegram-users'

/**
 * Support end to end on the built app: customers write to the bot through the real webhook (and
 * from the Mini App API), operators answer through the admin API, replies reach the customer's chat
 * through the queue against the fake Bot API; redelivered and concurrent updates, a blocked bot,
 * hours and the rating after closing.
 */
const SECRET = 'support-webhook-secret-0123456789'
const OWNER: InitUser = { id: 780_000_001, first_name: 'Ольга', username: 'olga_owner', language_code: 'ru' }
const MARIA: InitUser = { id: 780_000_002, first_name: 'Мария', language_code: 'ru' }
const EMMA: InitUser = { id: 780_000_003, first_name: 'Emma', language_code: 'en' }
const NIGHT_OWL: InitUser = { id: 780_000_004, first_name: 'Ночной', language_code: 'ru' }
const BLOCKER: InitUser = { id: 780_000_005, first_name: 'Борис', language_code: 'ru' }

let fake: FakeBotApi
let app: RunningApp

const deliver = (update: unknown) => fetch(`${app.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) })
const asUser = (user: InitUser) => ({ ...user, is_bot: false })
async function api<T = any>(user: InitUser, path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...tmaHeaders(user, fake.token), ...(init.body !== undefined && { 'content-type': 'application/json' }), ...(init.key && { 'idempotency-key': init.key }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: (await res.json()) as T }
}
const chatOf = (user: InitUser) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === user.id)
const allDay = Array.from({ length: 7 }, () => ({ from: '00:00', to: '00:00' }))
const setHours = (days: unknown[]) =>
  api(OWNER, '/api/admin/support/hours', { method: 'POST', body: { days, autoReply: { ru: 'Мы закрыты, ответим утром.', en: 'We are closed; we answer in the morning.' }, expectedReplyMinutes: 10 } })

async function conversationOf(user: InitUser) {
  const inbox = await api(OWNER, '/api/admin/support/conversations?folder=open&limit=100')
  const item = inbox.body.items.find((c: { customerId: number }) => c.customerId === user.id)
  return item ? (await api(OWNER, `/api/admin/support/conversations/${item.id}`)).body : undefined
}

beforeAll(async () => {
  fake = createFakeBotApi()
  await fake.listen()
  app = await startApp({
    env: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_UPDATES: 'webhook',
      PUBLIC_URL: 'https://shop.example.com',
      SESSION_SECRET: 'support-session-secret-'.padEnd(48, 'x'),
      ADMIN_TELEGRAM_IDS: String(OWNER.id),
    },
  })
  // The owner opens the app once (becomes a user with the owner role), then sets hours: always open.
  expect((await api(OWNER, '/api/me')).status).toBe(200)
  expect((await setHours(allDay)).status).toBe(200)
})

afterAll(async () => {
  await app?.stop()
  await fake?.close()
})

describe('support through the webhook', () => {
  it('stores a chat message once though Telegram redelivers it, answers with the expected wait, and shows it to operators', async () => {
    const update = fake.updates.message(asUser(MARIA), 'Здравствуйте, где мой заказ?')
    const answers = await Promise.all([deliver(update), deliver(update), deliver(update)])
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    // Two more messages at once, then a photo with a caption.
    await Promise.all([deliver(fake.updates.message(asUser(MARIA), 'Номер 123')), deliver(fake.updates.message(asUser(MARIA), 'Спасибо'))])
    const photo = fake.updates.message(asUser(MARIA), '') as unknown as { message: Record<string, unknown> }
    delete photo.message.text
    Object.assign(photo.message, { caption: 'Вот чек', photo: [{ file_id: 'small-id', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'AgACAgIAAxkBAAIB', file_unique_id: 'AQADx', width: 1280, height: 960, file_size: 120_000 }] })
    expect((await deliver(photo)).status).toBe(200)

    const view = await eventually(async () => {
      const v = await conversationOf(MARIA)
      return v?.messages.filter((m: { kind: string }) => m.kind === 'customer').length === 4 ? v : undefined
    }, 20_000)
    const texts = view.messages.filter((m: { kind: string }) => m.kind === 'customer').map((m: { text: string }) => m.text)
    expect(texts.filter((t: string) => t === 'Здравствуйте, где мой заказ?')).toHaveLength(1)
    expect(texts).toEqual(expect.arrayContaining(['Номер 123', 'Спасибо', 'Вот чек']))
    expect(view.messages.find((m: { text: string }) => m.text === 'Вот чек').attachment).toMatchObject({ kind: 'photo', fileId: 'AgACAgIAAxkBAAIB' })
    expect(view.customer).toMatchObject({ id: MARIA.id, firstName: 'Мария', blockedBot: false })
    // The customer hears back at once: the expected wait (and nothing from the old fallback answer).
    const ack = await eventually(() => chatOf(MARIA)[0], 15_000)
    expect(String(ack.params.text)).toContain('10 мин')
    expect(chatOf(MARIA)).toHaveLength(1)
    // The owner (an operator) is told about the new conversation in their chat.
    await eventually(() => chatOf(OWNER).find((c) => String(c.params.text).includes('Мария')), 15_000)
  })

  it('delivers an operator reply to the customer chat through the queue, once per Idempotency-Key', async () => {
    const { conversation } = (await conversationOf(MARIA))!
    const key = randomUUID()
    const first = await api(OWNER, `/api/admin/support/conversations/${conversation.id}/messages`, { method: 'POST', body: { text: 'Заказ уже у курьера, будет через 15 минут.' }, key })
    const again = await api(OWNER, `/api/admin/support/conversations/${conversation.id}/messages`, { method: 'POST', body: { text: 'Заказ уже у курьера, будет через 15 минут.' }, key })
    expect(first.status).toBe(201)
    expect(again.body.id).toBe(first.body.id)
    await eventually(() => chatOf(MARIA).find((c) => c.params.text === 'Заказ уже у курьера, будет через 15 минут.'), 15_000)
    const view = await eventually(async () => {
      const v = (await conversationOf(MARIA))!
      return v.messages.find((m: { id: number; delivery: string }) => m.id === first.body.id && m.delivery === 'sent') ? v : undefined
    }, 15_000)
    expect(view.conversation).toMatchObject({ status: 'waiting', assigneeId: OWNER.id, unread: 0 })
    expect(chatOf(MARIA).filter((c) => c.params.text === 'Заказ уже у курьера, будет через 15 минут.')).toHaveLength(1)
    // An internal note never reaches the customer.
    const note = await api(OWNER, `/api/admin/support/conversations/${conversation.id}/messages`, { method: 'POST', body: { text: 'Проверить курьера', note: true }, key: randomUUID() })
    expect(note.body.kind).toBe('note')
    // The customer sees the reply (not the note) in the Mini App.
    const mine = await api(MARIA, '/api/support/conversation')
    expect(mine.body.messages.map((m: { text: string }) => m.text)).toContain('Заказ уже у курьера, будет через 15 минут.')
    expect(mine.body.messages.map((m: { text: string }) => m.text)).not.toContain('Проверить курьера')
  })

  it('closes with a rating request; the customer rates with a button', async () => {
    const { conversation } = (await conversationOf(MARIA))!
    expect((await api(OWNER, `/api/admin/support/conversations/${conversation.id}/status`, { method: 'POST', body: { status: 'closed' } })).body.status).toBe('closed')
    const ask = await eventually(() => chatOf(MARIA).find((c) => String(c.params.text).includes('Оцените')), 15_000)
    const buttons = (typeof ask.params.reply_markup === 'string' ? JSON.parse(ask.params.reply_markup) : ask.params.reply_markup).inline_keyboard.flat()
    expect(buttons.map((b: { callback_data: string }) => b.callback_data)).toContain(`support:rate:${conversation.id}:5`)
    expect((await deliver(fake.updates.callbackQuery(asUser(MARIA), `support:rate:${conversation.id}:5`))).status).toBe(200)
    await eventually(async () => (await api(OWNER, `/api/admin/support/conversations/${conversation.id}`)).body.conversation.rating === 5 || undefined, 15_000)
    // Replying to a closed conversation is refused with a clear code.
    const late = await api(OWNER, `/api/admin/support/conversations/${conversation.id}/messages`, { method: 'POST', body: { text: 'ещё' }, key: randomUUID() })
    expect(late).toMatchObject({ status: 409, body: { code: 'conversation_closed' } })
  })

  it('marks a reply to a customer who blocked the bot, visible to the operator', async () => {
    expect((await deliver(fake.updates.message(asUser(BLOCKER), 'Вопрос'))).status).toBe(200)
    const { conversation } = await eventually(() => conversationOf(BLOCKER), 15_000)
    // The acknowledgement and the operator's alert went out before the block.
    await eventually(() => chatOf(BLOCKER)[0], 15_000)
    await eventually(() => chatOf(OWNER).find((c) => String(c.params.text).includes('Борис')), 15_000)
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    const reply = await api(OWNER, `/api/admin/support/conversations/${conversation.id}/messages`, { method: 'POST', body: { text: 'Ответ' }, key: randomUUID() })
    const view = await eventually(async () => {
      const v = (await conversationOf(BLOCKER))!
      return v.messages.find((m: { id: number; delivery: string }) => m.id === reply.body.id && m.delivery === 'blocked') ? v : undefined
    }, 15_000)
    expect(view.customer.blockedBot).toBe(true)
  })

  it('answers outside working hours with the auto-reply', async () => {
    expect((await setHours(Array.from({ length: 7 }, () => null))).status).toBe(200)
    try {
      expect((await deliver(fake.updates.message(asUser(NIGHT_OWL), 'Вы открыты?'))).status).toBe(200)
      const answer = await eventually(() => chatOf(NIGHT_OWL)[0], 15_000)
      expect(answer.params.text).toBe('Мы закрыты, ответим утром.')
      expect((await api(NIGHT_OWL, '/api/support/conversation')).body.availability).toEqual({ online: false, expectedReplyMinutes: null })
    } finally {
      await setHours(allDay)
    }
  })

  it('keeps answering commands and contacts with the fallback, not support', async () => {
    expect((await deliver(fake.updates.command(asUser(EMMA), '/whatever'))).status).toBe(200)
    const answer = await eventually(() => chatOf(EMMA)[0], 15_000)
    expect(String(answer.params.text)).toContain('I do not know that command')
    expect(await conversationOf(EMMA)).toBeUndefined()
  })
})

describe('support from the Mini App', () => {
  it('searches the answer base, then talks to a person; the operator reply arrives in the chat', async () => {
    // The demo answer base is seeded on a fresh database; "куагтв" is "refund" typed in the Russian layout.
    const found = await fetch(`${app.url}/api/support/articles?q=${encodeURIComponent('куагтв')}`).then((r) => r.json())
    expect(found.items.map((a: { slug: string }) => a.slug)).toContain('refunds')
    const article = await fetch(`${app.url}/api/support/articles/refunds`).then((r) => r.json())
    expect(article.title.en).toBe('Refunds: how do I get my money back?')
    expect((await api(EMMA, '/api/support/articles/refunds/feedback', { method: 'POST', body: { helpful: false } })).status).toBe(200)

    const key = randomUUID()
    const sent = await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: 'The refund article did not help', articleSlug: 'refunds' }, key })
    expect(sent.status).toBe(201)
    const retried = await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: 'The refund article did not help', articleSlug: 'refunds' }, key })
    expect(retried.status).toBe(200)
    expect(retried.body.message.id).toBe(sent.body.message.id)
    const reused = await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: 'Something else' }, key })
    expect(reused).toMatchObject({ status: 422, body: { code: 'idempotency_key_reused' } })

    const view = (await conversationOf(EMMA))!
    expect(view.conversation.articleSlug).toBe('refunds')
    expect(view.messages.filter((m: { kind: string }) => m.kind === 'customer')).toHaveLength(1)
    await api(OWNER, `/api/admin/support/conversations/${view.conversation.id}/messages`, { method: 'POST', body: { text: 'We will refund it today.' }, key: randomUUID() })
    await eventually(() => chatOf(EMMA).find((c) => c.params.text === 'We will refund it today.'), 15_000)
    const mine = await api(EMMA, '/api/support/conversation')
    expect(mine.body.messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).toEqual(['customer: The refund article did not help', 'business: We will refund it today.'])
  })

  it('refuses what a customer may not do, with stable codes', async () => {
    expect((await api(EMMA, '/api/admin/support/conversations')).status).toBe(403)
    expect((await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: 'x' } })).status).toBe(400)
    expect((await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: '' }, key: randomUUID() })).body.code).toBe('validation_failed')
    expect((await api(EMMA, '/api/support/messages', { method: 'POST', body: { text: 'про чужой заказ', orderId: 999_999 }, key: randomUUID() })).body.code).toBe('not_found')
    expect((await fetch(`${app.url}/api/support/articles/nope`)).status).toBe(404)
  })
})

describe('public answer pages', () => {
  it('serves /faq and /faq/<slug> as HTML with FAQPage JSON-LD, a deep link into the Mini App, and lists them in the sitemap', async () => {
    const list = await fetch(`${app.url}/faq?lang=en`)
    expect(list.status).toBe(200)
    const listHtml = await list.text()
    expect(listHtml).toContain('Refunds: how do I get my money back?')
    expect(listHtml).not.toMatch(/<script(?![^>]*application\/ld\+json)[^>]*>/)
    const page = await fetch(`${app.url}/faq/refunds`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const blocks = [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]!))
    const faq = blocks.find((b) => b['@type'] === 'FAQPage')
    expect(faq.mainEntity[0]).toMatchObject({ '@type': 'Question', name: 'Возврат денег: как вернуть оплату за заказ?', acceptedAnswer: { '@type': 'Answer', text: expect.stringContaining('3–5') } })
    expect(html).toContain('startapp=faq_refunds')
    expect((await fetch(`${app.url}/faq/no-such-answer`)).status).toBe(404)
    const sitemap = await (await fetch(`${app.url}/sitemap.xml`)).text()
    expect(sitemap).toContain('https://shop.example.com/faq/refunds</loc>')
  })
})
