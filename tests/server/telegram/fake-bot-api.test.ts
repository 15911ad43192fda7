import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Input, Telegraf, TelegramError } from 'telegraf'
import type { Update, User } from 'telegraf/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFakeBotApi, type FakeBotApi } from '../../../server/telegram/fake-bot-api'

const alice: User = { id: 111222333, is_bot: false, first_name: 'Alice', username: 'alice', language_code: 'ru' }

/** Rejection of a Telegraf call, as a TelegramError. */
async function telegramError(promise: Promise<unknown>): Promise<TelegramError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(TelegramError)
  return err as TelegramError
}

describe('fake Bot API driven by Telegraf', () => {
  let fake: FakeBotApi
  let bot: Telegraf
  const servers: Server[] = []

  beforeEach(async () => {
    fake = createFakeBotApi()
    await fake.listen()
    bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot, webhookReply: false } })
  })

  afterEach(async () => {
    await fake.close()
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  })

  it('answers getMe with a bot whose id is the numeric part of a realistic token', async () => {
    expect(fake.token).toMatch(/^\d{5,16}:[A-Za-z0-9_-]{30,64}$/)
    expect(fake.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const me = await bot.telegram.getMe()
    expect(me).toEqual(fake.botInfo)
    expect(me.id).toBe(Number(fake.token.split(':')[0]))
    expect(me).toMatchObject({ is_bot: true, can_join_groups: true, supports_inline_queries: false })
    expect(typeof me.username).toBe('string')
  })

  it('records sendMessage with its params and returns Messages numbered per chat', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Open', callback_data: 'open' }]] }
    const first = await bot.telegram.sendMessage(alice.id, '<b>Hi</b>', { parse_mode: 'HTML', reply_markup: keyboard })
    const second = await bot.telegram.sendMessage(alice.id, 'again')
    const other = await bot.telegram.sendMessage(42, 'elsewhere')

    expect(first).toMatchObject({ message_id: 1, chat: { id: alice.id, type: 'private' }, from: { id: fake.botInfo.id, is_bot: true }, text: 'Hi', entities: [{ type: 'bold', offset: 0, length: 2 }], reply_markup: keyboard })
    expect(Math.abs(first.date - Date.now() / 1000)).toBeLessThan(5)
    expect(first.from).toEqual({ id: fake.botInfo.id, is_bot: true, first_name: fake.botInfo.first_name, username: fake.botInfo.username })
    expect(second.message_id).toBe(2)
    expect(other.message_id).toBe(1)
    const calls = fake.callsOf('sendMessage')
    expect(calls).toHaveLength(3)
    expect(calls[0]!.params).toEqual({ chat_id: alice.id, text: '<b>Hi</b>', parse_mode: 'HTML', reply_markup: keyboard })
    expect(calls[0]!.at).toBeInstanceOf(Date)
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage'])
    await expect(fake.waitFor('sendMessage', (p) => p.text === 'elsewhere')).resolves.toBe(calls[2])
  })

  it('refuses empty and over-long texts and a missing chat_id like Telegram', async () => {
    const empty = await telegramError(bot.telegram.sendMessage(alice.id, ' '))
    expect(empty.code).toBe(400)
    expect(empty.description).toBe('Bad Request: message text is empty')
    const long = await telegramError(bot.telegram.sendMessage(alice.id, 'x'.repeat(4097)))
    expect(long.description).toBe('Bad Request: message is too long')
    await expect(bot.telegram.sendMessage(alice.id, 'x'.repeat(4096))).resolves.toMatchObject({ message_id: 1 })
    const noChat = await telegramError(bot.telegram.callApi('sendMessage', { text: 'hi' } as never))
    expect(noChat.description).toBe('Bad Request: chat_id is empty')
  })

  it('edits and deletes only messages that exist', async () => {
    const sent = await bot.telegram.sendMessage(alice.id, 'v1')
    const edited = await bot.telegram.editMessageText(alice.id, sent.message_id, undefined, 'v2')
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'v2', edit_date: expect.any(Number) })
    const same = await telegramError(bot.telegram.editMessageText(alice.id, sent.message_id, undefined, 'v2'))
    expect(same.description).toMatch(/^Bad Request: message is not modified/)
    await expect(bot.telegram.deleteMessage(alice.id, sent.message_id)).resolves.toBe(true)
    const gone = await telegramError(bot.telegram.deleteMessage(alice.id, sent.message_id))
    expect(gone.description).toBe('Bad Request: message to delete not found')
  })

  it('surfaces an injected 429 as a TelegramError carrying retry_after, then recovers', async () => {
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } })
    const err = await telegramError(bot.telegram.sendMessage(alice.id, 'hello'))
    expect(err.code).toBe(429)
    expect(err.parameters?.retry_after).toBe(3)
    await expect(bot.telegram.sendMessage(alice.id, 'hello')).resolves.toMatchObject({ message_id: 1 })
    expect(fake.callsOf('sendMessage')).toHaveLength(2) // the refused attempt was still seen

    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 2)
    for (let i = 0; i < 2; i++) expect((await telegramError(bot.telegram.sendMessage(alice.id, 'x'))).code).toBe(403)
    fake.failNext('getMe', { error_code: 500, description: 'Internal Server Error' })
    expect((await telegramError(bot.telegram.getMe())).code).toBe(500)
  })

  it('answers like Telegram for a chat that blocked the bot, past the flood limits, and for broken HTML', async () => {
    fake.blockedChats.add(777)
    const blocked = await telegramError(bot.telegram.sendMessage(777, 'news'))
    expect([blocked.code, blocked.description]).toEqual([403, 'Forbidden: bot was blocked by the user'])
    fake.blockedChats.delete(777)

    fake.floodControl = { perSecond: 2, perChatMs: 1000, retryAfter: 4 }
    await bot.telegram.sendMessage(801, 'one')
    const sameChat = await telegramError(bot.telegram.sendMessage(801, 'again at once'))
    expect([sameChat.code, sameChat.parameters?.retry_after]).toEqual([429, 4])
    await bot.telegram.sendMessage(802, 'two')
    expect((await telegramError(bot.telegram.sendMessage(803, 'three in a second'))).code).toBe(429)
    expect(fake.floodHits).toBe(2)
    fake.floodControl = undefined

    const broken = await telegramError(bot.telegram.sendMessage(alice.id, '<b>open', { parse_mode: 'HTML' }))
    expect([broken.code, broken.description]).toEqual([400, 'Bad Request: can\'t parse entities: can\'t find end tag corresponding to start tag "b"'])
    const link = await bot.telegram.sendMessage(alice.id, 'a <a href="https://x.example/?a=1&amp;b=2">link</a> &lt;3', { parse_mode: 'HTML' })
    expect(link).toMatchObject({ text: 'a link <3', entities: [{ type: 'text_link', offset: 2, length: 4, url: 'https://x.example/?a=1&b=2' }] })
  })

  it('validates createInvoiceLink and keeps the invoice', async () => {
    const invoice = { title: 'Pro plan', description: '30 days of Pro', payload: 'order:42', provider_token: '', currency: 'XTR', prices: [{ label: 'Pro', amount: 150 }] }
    const link = await bot.telegram.createInvoiceLink(invoice)
    expect(link).toMatch(/^https:\/\/t\.me\/\$[A-Za-z0-9_-]+$/)
    expect(fake.getInvoice(link)).toMatchObject({ payload: 'order:42', currency: 'XTR', total_amount: 150 })
    expect(fake.invoices.size).toBe(1)

    const twoPrices = await telegramError(bot.telegram.createInvoiceLink({ ...invoice, prices: [{ label: 'a', amount: 1 }, { label: 'b', amount: 2 }] }))
    expect(twoPrices.code).toBe(400)
    expect(twoPrices.description).toBe('Bad Request: STARS_INVOICE_INVALID')
    // 65 Cyrillic characters are 130 bytes: the limit is in bytes.
    const longPayload = await telegramError(bot.telegram.createInvoiceLink({ ...invoice, payload: 'я'.repeat(65) }))
    expect(longPayload.description).toBe('Bad Request: INVOICE_PAYLOAD_INVALID')
    const noProvider = await telegramError(bot.telegram.createInvoiceLink({ ...invoice, currency: 'RUB', prices: [{ label: 'Tea', amount: 14990 }] }))
    expect(noProvider.description).toBe('Bad Request: PAYMENT_PROVIDER_INVALID')
    expect(fake.invoices.size).toBe(1)

    const message = await bot.telegram.sendInvoice(alice.id, { ...invoice, currency: 'RUB', provider_token: 'sandbox:test', prices: [{ label: 'Tea', amount: 14990 }, { label: 'Cup', amount: 10 }] })
    expect(message.invoice).toMatchObject({ title: 'Pro plan', currency: 'RUB', total_amount: 15000 })
  })

  it('refunds a recorded Stars payment once and reports transactions', async () => {
    fake.recordStarPayment(alice.id, 'stxCharge1', 150, { user: alice, invoice_payload: 'order:42' })
    const refund = () => bot.telegram.callApi('refundStarPayment' as never, { user_id: alice.id, telegram_payment_charge_id: 'stxCharge1' } as never)
    await expect(refund()).resolves.toBe(true)
    const again = await telegramError(refund())
    expect(again.code).toBe(400)
    expect(again.description).toBe('Bad Request: CHARGE_ALREADY_REFUNDED')
    const unknown = await telegramError(bot.telegram.callApi('refundStarPayment' as never, { user_id: alice.id, telegram_payment_charge_id: 'nope' } as never))
    expect(unknown.description).toBe('Bad Request: CHARGE_NOT_FOUND')

    const page = (await bot.telegram.callApi('getStarTransactions' as never, { offset: 0, limit: 10 } as never)) as { transactions: Record<string, unknown>[] }
    expect(page.transactions).toHaveLength(2)
    expect(page.transactions[0]).toMatchObject({ id: 'stxCharge1', amount: 150, source: { type: 'user', user: { id: alice.id }, invoice_payload: 'order:42' } })
    expect(page.transactions[1]).toMatchObject({ id: 'stxCharge1', amount: 150, receiver: { type: 'user', user: { id: alice.id } } })
    const second = (await bot.telegram.callApi('getStarTransactions' as never, { offset: 1, limit: 10 } as never)) as { transactions: unknown[] }
    expect(second.transactions).toHaveLength(1)
  })

  it('serves getUpdates with offset confirmation, limit and long polling', async () => {
    const [u1, u2, u3] = [fake.updates.command(alice, '/start', 'ref_7'), fake.updates.message(alice, 'hi'), fake.updates.callbackQuery(alice, 'open')]
    for (const u of [u1, u2, u3]) fake.queueUpdate(u)
    expect(u2.update_id).toBeGreaterThan(u1.update_id)
    expect(u1.message).toMatchObject({ text: '/start ref_7', entities: [{ type: 'bot_command', offset: 0, length: 6 }], from: alice, chat: { id: alice.id, type: 'private' } })

    expect(await bot.telegram.getUpdates(0, 100, 0, undefined)).toEqual([u1, u2, u3])
    expect(await bot.telegram.getUpdates(0, 1, 0, undefined)).toEqual([u1]) // not confirmed yet
    expect(await bot.telegram.getUpdates(0, 100, u2.update_id, undefined)).toEqual([u2, u3]) // confirms u1
    expect(await bot.telegram.getUpdates(0, 100, 0, undefined)).toEqual([u2, u3]) // u1 is gone for good
    expect(await bot.telegram.getUpdates(0, 100, u3.update_id + 1, undefined)).toEqual([])

    const started = Date.now()
    const poll = bot.telegram.getUpdates(10, 100, u3.update_id + 1, undefined)
    await fake.waitFor('getUpdates', (p) => p.timeout === 10)
    const late = fake.queueUpdate(fake.updates.message(alice, 'late'))
    expect(await poll).toEqual([late])
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('ends a long poll with 409 when a second getUpdates arrives, as Telegram does with two bot instances', async () => {
    const first = bot.telegram.getUpdates(10, 100, 0, undefined)
    await fake.waitFor('getUpdates', (p) => p.timeout === 10)
    const conflicts = fake.getUpdatesConflicts
    const second = bot.telegram.getUpdates(1, 100, 0, undefined)
    await expect(first).rejects.toMatchObject({ response: { error_code: 409, description: expect.stringContaining('terminated by other getUpdates request') } })
    expect(fake.getUpdatesConflicts).toBe(conflicts + 1)
    await second
  })

  it('delivers updates to the webhook with the secret header, like Telegram', async () => {
    const received: Update[] = []
    bot.start((ctx) => ctx.reply(`welcome, ${ctx.payload}`))
    const target = createServer(async (req, res) => {
      if (req.headers['x-telegram-bot-api-secret-token'] !== 's3cret_token') return void res.writeHead(401).end('bad secret')
      let body = ''
      for await (const chunk of req) body += chunk
      const update = JSON.parse(body) as Update
      received.push(update)
      await bot.handleUpdate(update)
      res.writeHead(200).end('ok')
    })
    servers.push(target)
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/telegram/webhook`

    await expect(fake.deliverUpdate(fake.updates.message(alice, 'x'))).rejects.toThrow(/no webhook/)
    await bot.telegram.setWebhook(url, { secret_token: 's3cret_token', allowed_updates: ['message', 'callback_query'] })
    expect(await bot.telegram.getWebhookInfo()).toMatchObject({ url, has_custom_certificate: false, pending_update_count: 0, max_connections: 40, allowed_updates: ['message', 'callback_query'] })

    const update = fake.updates.command(alice, '/start', 'promo')
    expect(await fake.deliverUpdate(update)).toEqual({ status: 200, body: 'ok' })
    expect(received).toEqual([update])
    const reply = await fake.waitFor('sendMessage')
    expect(reply.params).toMatchObject({ chat_id: alice.id, text: 'welcome, promo' })

    await bot.telegram.setWebhook(url, { secret_token: 'other_secret' })
    expect(await fake.deliverUpdate(fake.updates.message(alice, 'hi'))).toEqual({ status: 401, body: 'bad secret' })
    const conflict = await telegramError(bot.telegram.getUpdates(0, 100, 0, undefined))
    expect(conflict.code).toBe(409)
  })

  it('runs a Bot API method carried in a 2xx webhook answer, like Telegram, and ignores it in an error answer', async () => {
    const answers: Array<[number, unknown]> = []
    const target = createServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      const update = JSON.parse(body) as Update.PreCheckoutQueryUpdate
      const [status, answer] = answers.shift()!
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { id: update.pre_checkout_query.id }))
    })
    servers.push(target)
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`
    const query = fake.updates.preCheckoutQuery(alice, { currency: 'XTR', total_amount: 150, invoice_payload: 'order:42' })
    const id = query.pre_checkout_query.id

    answers.push([200, { method: 'answerPreCheckoutQuery', pre_checkout_query_id: id, ok: false, error_message: 'Sold out' }])
    const res = await fake.postUpdate(url, undefined, query)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ method: 'answerPreCheckoutQuery' })
    expect(fake.callsOf('answerPreCheckoutQuery')).toEqual([{ method: 'answerPreCheckoutQuery', params: { pre_checkout_query_id: id, ok: false, error_message: 'Sold out' }, at: expect.any(Date), via: 'webhook_reply' }])

    answers.push([503, { method: 'answerPreCheckoutQuery', pre_checkout_query_id: id, ok: true }], [200, { ok: true, duplicate: false }])
    expect((await fake.postUpdate(url, undefined, query)).status).toBe(503)
    expect((await fake.postUpdate(url, undefined, query)).status).toBe(200)
    expect(fake.callsOf('answerPreCheckoutQuery')).toHaveLength(1)
  })

  it('accepts multipart uploads and records file parts by name and size', async () => {
    const doc = await bot.telegram.sendDocument(alice.id, Input.fromBuffer(Buffer.from('a,b\n1,2\n'), 'report.csv'), { caption: 'Report' })
    expect(doc).toMatchObject({ caption: 'Report', document: { file_name: 'report.csv', file_size: 8 } })
    expect(fake.callsOf('sendDocument')[0]!.params).toEqual({ chat_id: String(alice.id), caption: 'Report', document: { filename: 'report.csv', size: 8 } })
    const file = await bot.telegram.getFile(doc.document.file_id)
    expect(file).toMatchObject({ file_id: doc.document.file_id, file_size: 8 })
  })

  it('sends a file again by a file_id it knows (a photo or document posted in a forum topic), keeping its name; an unknown id is refused', async () => {
    const group = fake.createForumSupergroup()
    const topic = await bot.telegram.createForumTopic(group, 'Alice #1')
    const posted = fake.updates.topicFile(alice, group, topic.message_thread_id, 'document', { caption: 'Contract', file_name: 'contract.pdf' }).message as unknown as { document: { file_id: string } }
    expect(posted).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true, caption: 'Contract', document: { file_name: 'contract.pdf' } })
    const again = await bot.telegram.sendDocument(alice.id, posted.document.file_id, { caption: 'Here it is' })
    expect(again).toMatchObject({ caption: 'Here it is', document: { file_id: posted.document.file_id, file_name: 'contract.pdf' } })
    const photoId = (fake.updates.topicFile(alice, group, topic.message_thread_id, 'photo').message as unknown as { photo: { file_id: string }[] }).photo.at(-1)!.file_id
    expect((await bot.telegram.sendPhoto(alice.id, photoId)).photo.at(-1)!.file_id).toBe(photoId)
    expect(fake.updates.topicFile(alice, group, topic.message_thread_id, 'sticker').message).toHaveProperty('sticker.emoji')
    expect((await telegramError(bot.telegram.sendPhoto(alice.id, 'no-such-file-id'))).description).toContain('wrong file identifier')
  })

  it('lets a Telegraf bot answer payment updates built by the fake', async () => {
    bot.botInfo = fake.botInfo // so handleUpdate does not call getMe first
    bot.on('pre_checkout_query', (ctx) => ctx.answerPreCheckoutQuery(ctx.preCheckoutQuery.invoice_payload === 'order:42', 'Sold out'))
    bot.on('successful_payment', (ctx) => ctx.reply(`paid ${ctx.message.successful_payment.telegram_payment_charge_id}`))
    const seen: string[] = []
    const off = fake.onCall((call) => seen.push(call.method))

    await bot.handleUpdate(fake.updates.preCheckoutQuery(alice, { currency: 'XTR', total_amount: 150, invoice_payload: 'order:42' }))
    await bot.handleUpdate(fake.updates.preCheckoutQuery(alice, { currency: 'XTR', total_amount: 150, invoice_payload: 'order:43' }))
    const answers = fake.callsOf('answerPreCheckoutQuery').map((c) => c.params)
    expect(answers).toEqual([
      { pre_checkout_query_id: expect.any(String), ok: true, error_message: 'Sold out' },
      { pre_checkout_query_id: expect.any(String), ok: false, error_message: 'Sold out' },
    ])
    expect(answers[0]!.pre_checkout_query_id).not.toBe(answers[1]!.pre_checkout_query_id)

    const paid = fake.updates.successfulPayment(alice, { currency: 'XTR', total_amount: 150, invoice_payload: 'order:42', telegram_payment_charge_id: 'stx1', provider_payment_charge_id: '' })
    await bot.handleUpdate(paid)
    expect((await fake.waitFor('sendMessage', (p) => p.chat_id === alice.id)).params.text).toBe('paid stx1')
    off()
    await bot.telegram.getMe()
    expect(seen).toEqual(['answerPreCheckoutQuery', 'answerPreCheckoutQuery', 'sendMessage'])

    fake.clear()
    expect(fake.calls).toHaveLength(0)
    await expect(fake.waitFor('sendMessage', undefined, 50)).rejects.toThrow(/no matching sendMessage call/)
  })

  it('answers 401 to an unknown token and 404 to an unknown method', async () => {
    const stranger = new Telegraf('7000000002:AAHwrongwrongwrongwrongwrongwrong123', { telegram: { apiRoot: fake.apiRoot, webhookReply: false } })
    const err = await telegramError(stranger.telegram.getMe())
    expect(err.code).toBe(401)
    expect(err.description).toBe('Unauthorized')
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/getMe`)
    expect(res.status).toBe(200)
    const missing = await fetch(`${fake.apiRoot}/bot${fake.token}/frobnicate`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' })
    expect(fake.callsOf('frobnicate')[0]!.params).toEqual({ a: '1' })
  })
})
