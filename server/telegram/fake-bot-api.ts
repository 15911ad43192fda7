/**
 * A fake Telegram Bot API server (plain `node:http`). Telegram cannot be reached from our machines and
 * sandbox mode has no real bot token, so tests, benchmarks and sandbox mode talk to this instead of
 * api.telegram.org. It speaks the Bot API contract (`/bot<token>/<method>`, JSON, urlencoded or multipart
 * bodies, `{ok,result}` / `{ok:false,error_code,description,parameters?}` with HTTP status = error_code),
 * keeps just enough state to answer like Telegram (messages, webhook, commands, invoices, Stars payments,
 * update queue), records every call, injects failures (429 + retry_after, 403, 500) and plays Telegram's
 * side of webhooks (`deliverUpdate`) and long polling (`getUpdates` over `queueUpdate`).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Message, Update, User } from 'telegraf/types'
import type { BotApiError, BotInfo, FakeBotApiCall, FakeBotApiOptions, FakeInvoice, LabeledPrice, Params, PaymentInput, ShippingAddressInput,
  ShippingOptionAnswer, StarTransaction, SuccessfulPaymentInput, UploadedFilePart, WebhookInfo } from './fake-bot-api-types'
import { ApiError, JSON_FIELDS, MAX_TEXT, NOT_MODIFIED, bad, int, now, parseHtmlEntities, randomId, readBody, sameJson, str, tryJson, yes } from './fake-bot-api-wire'

export type * from './fake-bot-api-types'

/** A file in an update built by the fake: the caption and what Telegram would tell about the file. */
type FileExtra = { caption?: string; file_name?: string; mime_type?: string; file_size?: number }

/** Methods that post a message into a chat (what Telegram's blocks and flood limits apply to). */
const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendInvoice', 'copyMessage'])

export class FakeBotApi {
  readonly token: string
  readonly botInfo: BotInfo
  /** The bot as a plain User, as it appears in Message.from. */
  readonly botUser: User
  /** Every call in arrival order (cleared in place by `clear()`). */
  readonly calls: FakeBotApiCall[] = []
  readonly invoices = new Map<string, FakeInvoice>()
  readonly transactions: StarTransaction[] = []
  /** What the bot answered to each shipping query (the options Telegram would then show), by query id. */
  readonly shippingAnswers = new Map<string, { ok: boolean; shipping_options?: ShippingOptionAnswer[]; error_message?: string }>()
  apiRoot = ''
  webhook: WebhookInfo | undefined
  /** Builders of realistic updates; ids come from `nextUpdateId()`. */
  readonly updates = {
    message: (from: User, text: string): Update.MessageUpdate<Message.TextMessage> =>
      this.userUpdate(from, { text }) as Update.MessageUpdate<Message.TextMessage>,
    command: (from: User, command: string, payload?: string): Update.MessageUpdate<Message.TextMessage> => {
      const cmd = command.startsWith('/') ? command : `/${command}`
      const text = payload ? `${cmd} ${payload}` : cmd
      return this.userUpdate(from, { text, entities: [{ type: 'bot_command', offset: 0, length: cmd.length }] }) as Update.MessageUpdate<Message.TextMessage>
    },
    /** The person shares their phone number (requestContact in a Mini App, or the attach menu). */
    contact: (from: User, phone_number: string): Update.MessageUpdate<Message.ContactMessage> =>
      this.userUpdate(from, { contact: { phone_number, first_name: from.first_name, ...(from.last_name && { last_name: from.last_name }), user_id: from.id } }) as Update.MessageUpdate<Message.ContactMessage>,
    callbackQuery: (from: User, data: string, message?: Message): Update.CallbackQueryUpdate => {
      const id = this.queryId(from)
      const msg = message ? this.store(message as unknown as Params) : this.newMessage(from.id, this.botUser, { text: 'Menu' })
      const callback_query = { id, from, chat_instance: `-${from.id * 7}`, data, message: msg }
      return { update_id: this.nextUpdateId(), callback_query } as unknown as Update.CallbackQueryUpdate
    },
    preCheckoutQuery: (from: User, query: PaymentInput): Update.PreCheckoutQueryUpdate =>
      ({ update_id: this.nextUpdateId(), pre_checkout_query: { id: this.queryId(from), from, ...query } }),
    /** Telegram asks where a flexible invoice goes (`is_flexible` + `need_shipping_address`). */
    shippingQuery: (from: User, query: { invoice_payload: string; shipping_address: ShippingAddressInput }): Update.ShippingQueryUpdate =>
      ({ update_id: this.nextUpdateId(), shipping_query: { id: this.queryId(from), from, ...query } }),
    successfulPayment: (from: User, payment: SuccessfulPaymentInput): Update.MessageUpdate<Message.SuccessfulPaymentMessage> =>
      this.userUpdate(from, { successful_payment: payment }) as Update.MessageUpdate<Message.SuccessfulPaymentMessage>,
    /** A customer's photo (Telegram sends the sizes, smallest first) or document in their private chat, with an optional caption. */
    file: (from: User, kind: 'photo' | 'document', extra: FileExtra = {}): Update.MessageUpdate =>
      this.userUpdate(from, { [kind]: this.media(kind, extra), ...(extra.caption != null && { caption: extra.caption }) }) as Update.MessageUpdate,
    /** Someone writes in a forum topic of a supergroup (`createForumSupergroup`): `message_thread_id` and `is_topic_message` as Telegram sets them. */
    topicMessage: (from: User, chatId: number, threadId: number, text: string): Update.MessageUpdate<Message.TextMessage> => {
      this.users.set(from.id, from)
      if (!this.forums.get(chatId)?.has(threadId)) bad('message thread not found')
      const entities = text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }] } : {}
      const message = this.newMessage(chatId, from, { message_thread_id: threadId, is_topic_message: true, text, ...entities })
      return { update_id: this.nextUpdateId(), message } as unknown as Update.MessageUpdate<Message.TextMessage>
    },
    /** Someone posts a photo, document (optional caption) or sticker in a forum topic, as `topicMessage` does text. */
    topicFile: (from: User, chatId: number, threadId: number, kind: 'photo' | 'document' | 'sticker', extra: FileExtra = {}): Update.MessageUpdate => {
      this.users.set(from.id, from)
      if (!this.forums.get(chatId)?.has(threadId)) bad('message thread not found')
      const content = { [kind]: this.media(kind, extra), ...(extra.caption != null && kind !== 'sticker' && { caption: extra.caption }) }
      const message = this.newMessage(chatId, from, { message_thread_id: threadId, is_topic_message: true, ...content })
      return { update_id: this.nextUpdateId(), message } as unknown as Update.MessageUpdate
    },
    /** Bot API 7.10+: what the bot receives after refundStarPayment (not in Telegraf 4.16 types). */
    refundedPayment: (from: User, refund: Omit<SuccessfulPaymentInput, 'provider_payment_charge_id'>): Update.MessageUpdate =>
      this.userUpdate(from, { refunded_payment: { ...refund } }) as Update.MessageUpdate,
  }

  /** Chats whose user blocked the bot: every send to them answers 403 as Telegram does. */
  readonly blockedChats = new Set<number>()
  /**
   * Telegram's flood control, when set: more than `perSecond` sends in any second, or two to one
   * chat within `perChatMs`, answer 429 with `retry_after`; `floodHits` counts them (a sender within
   * the limits never sees one).
   */
  floodControl: { perSecond: number; perChatMs: number; retryAfter: number } | undefined
  floodHits = 0
  private readonly sendTimes: number[] = []
  private readonly chatSendTimes = new Map<string, number>()

  private server: Server | undefined
  private readonly failures = new Map<string, BotApiError[]>()
  private readonly listeners = new Set<(call: FakeBotApiCall) => void>()
  private readonly pollers = new Set<() => void>()
  /** The long poll in progress, which a second getUpdates caller terminates as Telegram does. */
  private currentPoll?: { terminate: () => void }
  /** How many getUpdates calls were ended by another caller's (two bot instances polling at once). */
  getUpdatesConflicts = 0
  private queue: Update[] = []
  private lastUpdateId = 500_000_000
  private seq = 0
  private readonly users = new Map<number, User>()
  private readonly messages = new Map<string, Params>()
  private readonly lastMessageId = new Map<string, number>()
  private readonly commands = new Map<string, unknown[]>()
  private readonly menuButtons = new Map<string, unknown>()
  private readonly payments = new Map<string, { user: User; amount: number; refunded: boolean }>()
  private readonly files = new Map<string, number>()
  /** Name and type of the documents in updates the fake built, which a file_id resend keeps. */
  private readonly documents = new Map<string, { file_name: string; mime_type: string }>()
  /** Supergroups with topics: chat id -> thread id -> the topic. */
  readonly forums = new Map<number, Map<number, { name: string; icon_color: number; closed: boolean }>>()
  private lastForumId = -1001000000000
  private readonly handlers: Record<string, (p: Params) => unknown> = {
    getMe: () => this.botInfo,
    logOut: () => true,
    close: () => true,
    setWebhook: (p) => {
      if (p.url == null) bad('parameter "url" is required')
      const url = str(p.url)
      if (url === '') { this.webhook = undefined; return true }
      if (!/^https?:\/\/[^/\s]+/.test(url)) bad('bad webhook: An HTTPS URL must be provided for webhook')
      const max = int(p.max_connections) ?? 40
      if (max < 1 || max > 100) bad('bad webhook: max_connections must be between 1 and 100')
      const secret = p.secret_token == null ? undefined : str(p.secret_token)
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) bad('secret token contains unallowed characters')
      if (yes(p.drop_pending_updates)) this.queue = []
      const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : this.webhook?.allowed_updates
      this.webhook = { url, secret_token: secret, max_connections: max, allowed_updates: allowed }
      return true
    },
    deleteWebhook: (p) => { this.webhook = undefined; if (yes(p.drop_pending_updates)) this.queue = []; return true },
    getWebhookInfo: () => ({
      url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length,
      ...(this.webhook && { max_connections: this.webhook.max_connections }),
      ...(this.webhook?.allowed_updates && { allowed_updates: this.webhook.allowed_updates }),
    }),
    setMyCommands: (p) => {
      this.commands.set(this.scopeKey(p), Array.isArray(p.commands) ? p.commands : bad('parameter "commands" is required'))
      return true
    },
    getMyCommands: (p) => this.commands.get(this.scopeKey(p)) ?? [],
    deleteMyCommands: (p) => { this.commands.delete(this.scopeKey(p)); return true },
    setChatMenuButton: (p) => { this.menuButtons.set(str(p.chat_id), p.menu_button ?? { type: 'default' }); return true },
    getChatMenuButton: (p) => this.menuButtons.get(str(p.chat_id)) ?? this.menuButtons.get('') ?? { type: 'default' },
    sendMessage: (p) => {
      const chatId = this.chatId(p)
      if (str(p.parse_mode).toUpperCase() === 'HTML') {
        const parsed = parseHtmlEntities(str(p.text))
        return this.newMessage(chatId, this.botUser, { ...this.thread(chatId, p), text: this.text(parsed.text), ...(parsed.entities.length && { entities: parsed.entities }), ...this.markup(p) })
      }
      const text = this.text(p.text)
      return this.newMessage(chatId, this.botUser, { ...this.thread(chatId, p), text, ...(p.entities != null && { entities: p.entities }), ...this.markup(p) })
    },
    createForumTopic: (p) => {
      const topics = this.forum(this.chatId(p))
      const name = str(p.name)
      if (!name.trim()) bad('TOPIC_NAME_EMPTY')
      if (name.length > 128) bad('TOPIC_NAME_INVALID')
      const colors = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f]
      const icon_color = int(p.icon_color) ?? colors[topics.size % colors.length]!
      if (!colors.includes(icon_color)) bad('TOPIC_ICON_COLOR_INVALID')
      // The topic's id is the id of the service message that opens it.
      const created = this.newMessage(this.chatId(p), this.botUser, { forum_topic_created: { name, icon_color }, is_topic_message: true })
      const message_thread_id = Number(created.message_id)
      created.message_thread_id = message_thread_id
      topics.set(message_thread_id, { name, icon_color, closed: false })
      return { message_thread_id, name, icon_color }
    },
    closeForumTopic: (p) => this.setTopicClosed(p, true),
    reopenForumTopic: (p) => this.setTopicClosed(p, false),
    copyMessage: (p) => {
      const chatId = this.chatId(p)
      const fromChat = this.chatOf(this.chatId({ chat_id: p.from_chat_id }))
      const source = this.messages.get(`${fromChat.id}:${int(p.message_id) ?? bad('message identifier is not specified')}`) ?? bad('message to copy not found')
      const content = ['text', 'entities', 'photo', 'document', 'video', 'voice', 'audio', 'sticker', 'animation', 'video_note', 'caption', 'caption_entities']
      if (!content.some((k) => k !== 'entities' && k !== 'caption_entities' && source[k] != null)) bad("message can't be copied")
      const copied = Object.fromEntries(content.filter((k) => source[k] != null).map((k) => [k, source[k]]))
      if (p.caption != null) copied.caption = str(p.caption)
      const message = this.newMessage(chatId, this.botUser, { ...this.thread(chatId, p), ...copied, ...this.markup(p) })
      return { message_id: message.message_id }
    },
    editMessageText: (p) => this.edit(p, 'edit', (msg) => {
      const text = this.text(p.text)
      if (msg.text === text && sameJson(msg.reply_markup, this.markup(p).reply_markup)) bad(NOT_MODIFIED)
      return { text, entities: p.entities, reply_markup: this.markup(p).reply_markup }
    }),
    editMessageReplyMarkup: (p) => this.edit(p, 'edit', (msg) => {
      if (sameJson(msg.reply_markup, this.markup(p).reply_markup)) bad(NOT_MODIFIED)
      return { reply_markup: this.markup(p).reply_markup }
    }),
    deleteMessage: (p) => this.edit(p, 'delete', () => ({})),
    sendPhoto: (p) => this.sendFile(p, 'photo'),
    sendDocument: (p) => this.sendFile(p, 'document'),
    answerCallbackQuery: (p) => str(p.callback_query_id) !== '' || bad('query is too old and response timeout expired or query ID is invalid'),
    answerPreCheckoutQuery: (p) => this.answerQuery(p, str(p.pre_checkout_query_id)),
    answerShippingQuery: (p) => {
      this.answerQuery(p, str(p.shipping_query_id), true)
      const options = p.shipping_options as ShippingOptionAnswer[] | undefined
      if (yes(p.ok) && (options!.length === 0 || options!.some((o) => !str(o?.id) || !str(o?.title) || !Array.isArray(o?.prices) || o.prices.some((x) => !Number.isInteger(Number(x?.amount)))))) bad('SHIPPING_OPTIONS_INVALID')
      this.shippingAnswers.set(str(p.shipping_query_id), { ok: yes(p.ok), shipping_options: options, error_message: p.error_message == null ? undefined : str(p.error_message) })
      return true
    },
    createInvoiceLink: (p) => {
      const invoice = this.validateInvoice(p)
      this.invoices.set(invoice.slug, invoice)
      return invoice.link
    },
    sendInvoice: (p) => {
      const chatId = this.chatId(p), inv = this.validateInvoice(p)
      const invoice = { title: inv.title, description: inv.description, start_parameter: str(p.start_parameter), currency: inv.currency, total_amount: inv.total_amount }
      return this.newMessage(chatId, this.botUser, { invoice, ...this.markup(p) })
    },
    refundStarPayment: (p) => {
      const userId = int(p.user_id) ?? bad('invalid user_id specified')
      const chargeId = str(p.telegram_payment_charge_id) || bad('CHARGE_ID_EMPTY')
      const payment = this.payments.get(chargeId)
      if (!payment || payment.user.id !== userId) bad('CHARGE_NOT_FOUND')
      if (payment.refunded) bad('CHARGE_ALREADY_REFUNDED')
      payment.refunded = true
      this.transactions.push({ id: chargeId, amount: payment.amount, date: now(), receiver: { type: 'user', transaction_type: 'invoice_payment', user: payment.user } })
      return true
    },
    getStarTransactions: (p) => {
      const offset = int(p.offset) ?? 0, limit = Math.min(Math.max(int(p.limit) ?? 100, 1), 100)
      return { transactions: this.transactions.slice(offset, offset + limit) }
    },
    getUpdates: (p) => this.getUpdates(p),
    getChat: (p) => this.chatOf(this.chatId(p)),
    getFile: (p) => {
      const fileId = str(p.file_id) || bad('file_id is empty')
      return { file_id: fileId, file_unique_id: fileId.slice(-16), file_size: this.files.get(fileId) ?? 1024, file_path: `documents/${fileId.slice(-12)}.dat` }
    },
  }

  /** Lower-cased name -> canonical name (Bot API method names are case-insensitive). */
  private readonly methodNames = new Map<string, string>()

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? `7000000001:AAH${randomBytes(24).toString('base64url')}`
    const id = Number(this.token.split(':')[0])
    const defaults = { first_name: 'Sandbox Bot', username: 'sandbox_tma_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }
    this.botInfo = { ...defaults, ...options.botUser, id, is_bot: true }
    this.botUser = { id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username }
    for (const name of ['setMyDescription', 'setMyShortDescription', 'setMyName', 'sendChatAction', 'pinChatMessage',
      'unpinChatMessage', 'setMyDefaultAdministratorRights', 'setMessageReaction']) this.handlers[name] ??= () => true
    for (const name of Object.keys(this.handlers)) this.methodNames.set(name.toLowerCase(), name)
  }

  /** Starts the server; resolves to the apiRoot (e.g. `http://127.0.0.1:34567`). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve))
    this.server = server
    const address = server.address() as AddressInfo
    this.apiRoot = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
    return this.apiRoot
  }

  async close(): Promise<void> {
    for (const wake of [...this.pollers]) wake()
    await new Promise((resolve) => setImmediate(resolve)) // let woken long polls answer []
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections() })
  }

  callsOf(method: string): FakeBotApiCall[] { return this.calls.filter((c) => c.method === method) }
  /** Forgets recorded calls and pending injected failures (webhook, messages, invoices etc. are kept). */
  clear(): void { this.calls.length = 0; this.failures.clear() }

  /** Resolves with the first recorded call (past or future) of `method` matching `predicate`. */
  waitFor(method: string, predicate: (params: Params, call: FakeBotApiCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeBotApiCall> {
    const matches = (c: FakeBotApiCall) => c.method === method && predicate(c.params, c)
    const seen = this.calls.find(matches)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const seenNames = () => this.calls.map((c) => c.method).join(', ') || 'none'
      const timer = setTimeout(() => { off(); reject(new Error(`fake Bot API: no matching ${method} call in ${timeoutMs} ms (seen: ${seenNames()})`)) }, timeoutMs)
      const off = this.onCall((c) => { if (matches(c)) { clearTimeout(timer); off(); resolve(c) } })
    })
  }

  /** The next `times` calls of `method` answer with `error` (e.g. 429 + parameters.retry_after). */
  failNext(method: string, error: BotApiError, times = 1): this {
    const key = method.toLowerCase()
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...Array<BotApiError>(times).fill(error)])
    return this
  }

  /** Called synchronously with each call as it is recorded, before it is answered. */
  onCall(listener: (call: FakeBotApiCall) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  nextUpdateId(): number { return ++this.lastUpdateId }
  /** Queues an update for getUpdates (assigns an update_id when missing) and wakes long polls. */
  queueUpdate<U extends Update>(update: U): U {
    if (update.update_id == null) (update as { update_id: number }).update_id = this.nextUpdateId()
    this.queue.push(update)
    for (const wake of [...this.pollers]) wake()
    return update
  }

  /** Registers a paid Stars charge so refundStarPayment/getStarTransactions know about it. */
  recordStarPayment(userId: number, chargeId: string, amount: number, extra: { user?: User; invoice_payload?: string } = {}): StarTransaction {
    const user = extra.user ?? this.users.get(userId) ?? { id: userId, is_bot: false, first_name: 'User' }
    this.payments.set(chargeId, { user, amount, refunded: false })
    const payload = extra.invoice_payload != null ? { invoice_payload: extra.invoice_payload } : {}
    const tx: StarTransaction = { id: chargeId, amount, date: now(), source: { type: 'user', transaction_type: 'invoice_payment', user, ...payload } }
    this.transactions.push(tx)
    return tx
  }

  /** Looks an invoice up by slug, `$slug` or the full `https://t.me/$slug` link. */
  /** The messages of one chat as they stand now (after edits and deletes), oldest first. */
  chatMessages(chatId: number | string): Params[] {
    const prefix = `${chatId}:`
    return [...this.messages.entries()].filter(([key]) => key.startsWith(prefix)).map(([, m]) => m).sort((a, b) => Number(a.message_id) - Number(b.message_id))
  }

  /** One stored message of a chat, or undefined. */
  chatMessage(chatId: number | string, messageId: number): Params | undefined {
    return this.messages.get(`${chatId}:${messageId}`)
  }

  getInvoice(slugOrLink: string): FakeInvoice | undefined {
    return this.invoices.get(slugOrLink.replace(/^https:\/\/t\.me\//, '').replace(/^\$/, ''))
  }

  /** POSTs the update to the registered webhook like Telegram does (with the secret header). */
  async deliverUpdate(update: Update): Promise<{ status: number; body: string }> {
    if (!this.webhook) throw new Error('fake Bot API: no webhook set (call setWebhook first)')
    const res = await this.postUpdate(this.webhook.url, this.webhook.secret_token, update)
    return { status: res.status, body: await res.text() }
  }

  /**
   * POSTs an update to `url` as Telegram does and, like Telegram, runs a Bot API method the 2xx
   * answer carries (`{"method": "answerPreCheckoutQuery", ...}`), recorded with `via: 'webhook_reply'`;
   * its outcome is not reported to the bot. Returns the answer (its body still readable).
   */
  async postUpdate(url: string, secret: string | undefined, update: unknown): Promise<Response> {
    const headers = { 'content-type': 'application/json', ...(secret && { 'x-telegram-bot-api-secret-token': secret }) }
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update) })
    const body = await res.text()
    if (res.ok) await this.runWebhookReply(body)
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers })
  }

  private async runWebhookReply(body: string): Promise<void> {
    let reply: unknown
    try { reply = JSON.parse(body) } catch { return }
    if (!reply || typeof reply !== 'object' || typeof (reply as Params).method !== 'string') return
    const { method: name, ...params } = reply as Params
    const method = this.methodNames.get(String(name).toLowerCase()) ?? String(name)
    await this.invoke(method, params, 'webhook_reply').catch(() => undefined)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    const url = new URL(req.url ?? '/', 'http://fake')
    const route = /^\/bot([^/]+)\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname)
    if (!route) return reply(404, { ok: false, error_code: 404, description: 'Not Found' })
    if (decodeURIComponent(route[1]!) !== this.token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' })
    const method = this.methodNames.get(route[2]!.toLowerCase()) ?? route[2]!
    try {
      const params: Params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) }
      if (params.method === method) delete params.method // Telegraf adds it to multipart bodies
      reply(200, { ok: true, result: await this.invoke(method, params) })
    } catch (err) {
      const error = err instanceof ApiError ? err.error : { error_code: 500, description: `Internal Server Error: ${(err as Error).message}` }
      reply(error.error_code, { ok: false, ...error })
    }
  }

  /** Records a call (listeners see it first), then fails it as injected or answers it. */
  private async invoke(method: string, params: Params, via?: 'webhook_reply'): Promise<unknown> {
    for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && JSON_FIELDS.has(k)) params[k] = tryJson(v)
    const call: FakeBotApiCall = { method, params, at: new Date(), ...(via && { via }) }
    this.calls.push(call)
    for (const listener of [...this.listeners]) listener(call)
    const injected = this.failures.get(method.toLowerCase())?.shift()
    if (injected) throw new ApiError(injected)
    if (SEND_METHODS.has(method)) this.checkSend(params)
    const handler = this.handlers[method]
    if (!handler) throw new ApiError({ error_code: 404, description: 'Not Found: method not found' })
    return handler(params)
  }

  /** 403 for a chat that blocked the bot; 429 past the flood limits (both in Telegram's shapes). */
  private checkSend(p: Params): void {
    const chat = str(p.chat_id).trim()
    if (this.blockedChats.has(Number(chat))) throw new ApiError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    const limits = this.floodControl
    if (!limits) return
    const at = performance.now()
    while (this.sendTimes.length && at - this.sendTimes[0]! >= 1000) this.sendTimes.shift()
    const last = this.chatSendTimes.get(chat)
    if (this.sendTimes.length >= limits.perSecond || (last !== undefined && at - last < limits.perChatMs)) {
      this.floodHits++
      throw new ApiError({ error_code: 429, description: `Too Many Requests: retry after ${limits.retryAfter}`, parameters: { retry_after: limits.retryAfter } })
    }
    this.sendTimes.push(at)
    this.chatSendTimes.set(chat, at)
  }

  private async getUpdates(p: Params): Promise<Update[]> {
    if (this.webhook) throw new ApiError({ error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" })
    const offset = int(p.offset) ?? 0
    if (offset < 0) this.queue = this.queue.slice(offset)
    else if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset)
    const timeout = Math.max(0, int(p.timeout) ?? 0)
    // Telegram serves one getUpdates at a time: a new call ends the one in progress with 409.
    this.currentPoll?.terminate()
    if (this.queue.length === 0 && timeout > 0 && this.server) {
      let terminated = false
      await new Promise<void>((resolve) => {
        const wake = () => { clearTimeout(timer); this.pollers.delete(wake); if (this.currentPoll === poll) this.currentPoll = undefined; resolve() }
        const poll = { terminate: () => { terminated = true; wake() } }
        const timer = setTimeout(wake, timeout * 1000)
        this.pollers.add(wake)
        this.currentPoll = poll
      })
      if (terminated) {
        this.getUpdatesConflicts++
        throw new ApiError({ error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' })
      }
    }
    return this.queue.slice(0, Math.min(Math.max(int(p.limit) ?? 100, 1), 100))
  }

  private chatId(p: Params): number | string {
    const raw = str(p.chat_id).trim()
    if (!raw) bad('chat_id is empty')
    return /^-?\d+$/.test(raw) ? Number(raw) : /^@\w{4,}$/.test(raw) ? raw : bad('chat not found')
  }

  /** A supergroup with topics switched on, the bot an administrator that may manage topics; returns its chat id. */
  createForumSupergroup(): number {
    const id = --this.lastForumId
    this.forums.set(id, new Map())
    return id
  }

  /** The topics of a forum supergroup (throws Telegram's error for any other chat). */
  private forum(chatId: number | string) {
    const topics = typeof chatId === 'number' ? this.forums.get(chatId) : undefined
    if (!topics) bad(typeof chatId === 'number' && chatId <= -1e12 ? 'the chat is not a forum' : 'method is available for supergroup chats only')
    return topics
  }

  /** `message_thread_id` of a send: the topic must exist in a forum (General, id 1, always does). */
  private thread(chatId: number | string, p: Params): Params {
    const threadId = int(p.message_thread_id)
    if (threadId === undefined) return {}
    const topics = typeof chatId === 'number' ? this.forums.get(chatId) : undefined
    if (!topics) return {} // Telegram ignores it outside forums
    if (threadId !== 1 && !topics.has(threadId)) bad('message thread not found')
    return { message_thread_id: threadId, is_topic_message: true }
  }

  private setTopicClosed(p: Params, closed: boolean): true {
    const chatId = this.chatId(p)
    const topic = this.forum(chatId).get(int(p.message_thread_id) ?? bad('message thread id is not specified')) ?? bad('TOPIC_ID_INVALID')
    if (topic.closed === closed) bad('TOPIC_NOT_MODIFIED')
    topic.closed = closed
    this.newMessage(chatId, this.botUser, { message_thread_id: int(p.message_thread_id), is_topic_message: true, [closed ? 'forum_topic_closed' : 'forum_topic_reopened']: {} })
    return true
  }

  private chatOf(chatId: number | string): Params {
    if (typeof chatId === 'string') return { id: -1001000000000, type: 'channel', title: chatId.slice(1), username: chatId.slice(1) }
    if (this.forums.has(chatId)) return { id: chatId, type: 'supergroup', title: 'Operators', is_forum: true }
    if (chatId < 0) return { id: chatId, type: chatId <= -1e12 ? 'supergroup' : 'group', title: 'Group' }
    const user = this.users.get(chatId)
    return { id: chatId, type: 'private', first_name: user?.first_name ?? 'User', ...(user?.last_name && { last_name: user.last_name }), ...(user?.username && { username: user.username }) }
  }

  private text(value: unknown): string {
    const text = str(value)
    if (!text.trim()) bad('message text is empty')
    if (text.length > MAX_TEXT) bad('message is too long')
    return text
  }

  /** Telegram echoes only inline keyboards in Message.reply_markup. */
  private markup(p: Params): { reply_markup?: unknown } {
    const m = p.reply_markup as { inline_keyboard?: unknown } | undefined
    return m && typeof m === 'object' && m.inline_keyboard ? { reply_markup: m } : {}
  }

  /** What a message carries for a new file of `kind` (a photo: its sizes, smallest first). */
  private media(kind: 'photo' | 'document' | 'sticker', extra: FileExtra): Params | Params[] {
    const size = extra.file_size ?? 2048
    if (kind === 'photo') return [90, 320, 800].map((w) => ({ ...this.newFile(Math.round((size * w) / 800)), width: w, height: Math.round(w * 0.75) }))
    if (kind === 'sticker') return { ...this.newFile(size), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' }
    const document = { ...this.newFile(size), file_name: extra.file_name ?? 'file.pdf', mime_type: extra.mime_type ?? 'application/pdf' }
    this.documents.set(document.file_id, { file_name: document.file_name, mime_type: document.mime_type })
    return document
  }

  private sendFile(p: Params, kind: 'photo' | 'document'): Params {
    const chatId = this.chatId(p)
    const input = p[kind]
    if (input == null || input === '') bad(`there is no ${kind} in the request`)
    const part = (typeof input === 'object' ? input : {}) as Partial<UploadedFilePart>
    // A string is a file_id this bot has seen (sent again as it is) or an HTTP URL; anything else is refused as Telegram does.
    const known = typeof input === 'string' && this.files.has(input) ? { file_id: input, file_unique_id: `AgAD${input.slice(-6)}`, file_size: this.files.get(input)! } : undefined
    if (typeof input === 'string' && !known && !/^https?:\/\//.test(input)) bad('wrong file identifier/HTTP URL specified')
    const size = part.size ?? 1024
    const media = kind === 'photo'
      ? known ? [known] : [90, 320, 800].map((w) => ({ ...this.newFile(Math.round((size * w) / 800)), width: w, height: Math.round(w * 0.75) }))
      : known ? { ...known, file_name: 'document.dat', mime_type: 'application/octet-stream', ...this.documents.get(known.file_id) } : { ...this.newFile(size), file_name: part.filename ?? 'document.dat', mime_type: part.contentType ?? 'application/octet-stream' }
    const caption = p.caption == null ? undefined : str(p.parse_mode).toUpperCase() === 'HTML' ? parseHtmlEntities(str(p.caption)) : { text: str(p.caption), entities: [] }
    if (caption && caption.text.length > 1024) bad('message caption is too long')
    return this.newMessage(chatId, this.botUser, { [kind]: media, ...(caption && { caption: caption.text }), ...(caption?.entities.length && { caption_entities: caption.entities }), ...this.markup(p) })
  }

  private answerQuery(p: Params, queryId: string, shipping = false): true {
    if (!queryId) bad('QUERY_ID_INVALID')
    if (p.ok == null) bad('parameter "ok" is required')
    if (shipping && yes(p.ok) && !Array.isArray(p.shipping_options)) bad('SHIPPING_OPTIONS_EMPTY')
    if (!yes(p.ok) && !str(p.error_message)) bad('ERROR_MESSAGE_EMPTY')
    return true
  }

  private newMessage(chatId: number | string, from: User, fields: Params): Params {
    const chat = this.chatOf(chatId)
    const message_id = (this.lastMessageId.get(str(chat.id)) ?? 0) + 1
    return this.store({ message_id, from, chat, date: now(), ...fields })
  }

  private store(message: Params): Params {
    const chatId = str((message.chat as { id?: unknown } | undefined)?.id), id = Number(message.message_id)
    this.lastMessageId.set(chatId, Math.max(this.lastMessageId.get(chatId) ?? 0, id))
    this.messages.set(`${chatId}:${id}`, message)
    return message
  }

  private userUpdate(from: User, fields: Params): Update {
    this.users.set(from.id, from)
    return { update_id: this.nextUpdateId(), message: this.newMessage(from.id, from, fields) } as unknown as Update
  }

  /** editMessage* / deleteMessage on a stored message; inline messages just answer true. */
  private edit(p: Params, kind: 'edit' | 'delete', change: (msg: Params) => Params): Params | true {
    if (kind === 'edit' && str(p.inline_message_id)) return true
    const key = `${this.chatOf(this.chatId(p)).id}:${int(p.message_id) ?? bad('message identifier is not specified')}`
    const msg = this.messages.get(key) ?? bad(`message to ${kind} not found`)
    if (kind === 'delete') { this.messages.delete(key); return true }
    for (const [k, v] of Object.entries(change(msg))) if (v == null) Reflect.deleteProperty(msg, k); else msg[k] = v
    msg.edit_date = now()
    return msg
  }

  /** A query id for an update from `from` (who is remembered, so their private chat gets their name). */
  private queryId(from: User): string {
    this.users.set(from.id, from)
    return `${from.id}${String(++this.seq).padStart(6, '0')}`
  }

  private scopeKey(p: Params): string { return `${JSON.stringify(p.scope ?? { type: 'default' })}|${str(p.language_code)}` }

  private newFile(size: number) {
    const file_id = `BQACAgIAAxkBAAI${randomId(24)}`
    this.files.set(file_id, size)
    return { file_id, file_unique_id: `AgAD${randomId(6)}`, file_size: size }
  }

  private validateInvoice(p: Params): FakeInvoice {
    const title = str(p.title), description = str(p.description), payload = str(p.payload), currency = str(p.currency)
    if (title.length < 1 || title.length > 32) bad('title must be 1-32 characters long')
    if (description.length < 1 || description.length > 255) bad('description must be 1-255 characters long')
    const bytes = Buffer.byteLength(payload)
    if (bytes < 1 || bytes > 128) bad('INVOICE_PAYLOAD_INVALID')
    if (!/^[A-Z]{3}$/.test(currency)) bad('CURRENCY_INVALID')
    const prices = Array.isArray(p.prices) ? (p.prices as LabeledPrice[]) : []
    if (prices.length === 0) bad('there must be at least one price')
    if (prices.some((x) => !x || !str(x.label) || !Number.isInteger(Number(x.amount)))) bad('can\'t parse prices JSON object')
    if (currency === 'XTR' && (prices.length !== 1 || str(p.provider_token) !== '')) bad('STARS_INVOICE_INVALID')
    if (currency !== 'XTR' && !str(p.provider_token)) bad('PAYMENT_PROVIDER_INVALID')
    if (p.subscription_period != null && (currency !== 'XTR' || int(p.subscription_period) !== 2592000)) bad('SUBSCRIPTION_PERIOD_INVALID')
    const total_amount = prices.reduce((sum, x) => sum + Number(x.amount), 0)
    if (total_amount <= 0) bad('CURRENCY_TOTAL_AMOUNT_INVALID')
    const slug = randomId(12)
    return { slug, link: `https://t.me/$${slug}`, title, description, payload, currency, prices, total_amount, params: p, createdAt: new Date() }
  }
}

export function createFakeBotApi(options?: FakeBotApiOptions): FakeBotApi {
  return new FakeBotApi(options)
}
