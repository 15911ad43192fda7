/**
 * The sandbox plays Telegram for a demo person: signed launch params for the Mini App frame, the
 * person's chat with the bot (read from the fake Bot API), and updates the person "sends" through
 * the real webhook route. Only available while no TELEGRAM_BOT_TOKEN is configured.
 */
import { randomBytes } from 'node:crypto'
import type { User } from 'telegraf/types'
import type { AppServices } from '../../composition-root'
import type { z } from 'zod'
import type { FakeBotApi, PaymentInput } from '../../telegram/fake-bot-api'
import { DomainError } from '../../utils/errors'
import { signInitData } from '../auth/init-data'
import { DEMO_PEOPLE } from '../demo/seed-data'
import { TELEGRAM_THEMES, type SandboxTheme } from './theme'
import type { SandboxChatMessage, SandboxContactAnswer, SandboxInvoice, SandboxLaunch, SandboxPerson, SandboxShippingAddress, SandboxShippingAnswer } from '#shared/schemas/sandbox'

/** The Mini Apps API version and platform the sandbox claims to be (Bot API 8.0 features: fullscreen, safe areas). */
export const SANDBOX_VERSION = '8.0'
export const SANDBOX_PLATFORM = 'tdesktop'

/** The fake Bot API of this process, or a 404 when a real bot token is configured. */
export function requireSandbox(services: AppServices): FakeBotApi {
  if (!services.config.telegram.sandbox || !services.telegram.sandbox) throw new DomainError('not_found', 'The sandbox is off: a real TELEGRAM_BOT_TOKEN is configured', 404)
  return services.telegram.sandbox
}

export function demoPerson(key: SandboxPerson) {
  const person = DEMO_PEOPLE.find((p) => p.key === key)
  if (!person) throw new DomainError('not_found', `No demo person "${key}"`, 404)
  return person
}

/** The person as Telegram describes them in updates. */
export function telegramUser(key: SandboxPerson): User {
  const p = demoPerson(key)
  return { id: p.telegramId, is_bot: false, first_name: p.firstName, last_name: p.lastName, username: p.username, language_code: p.languageCode }
}

/** Launch params for `/app#...`: initData signed with the sandbox bot token, as Telegram Desktop would pass them. */
export function launchParams(token: string, key: SandboxPerson, theme: SandboxTheme, startParam?: string, now = new Date()): SandboxLaunch {
  const p = demoPerson(key)
  const user = JSON.stringify({ id: p.telegramId, first_name: p.firstName, last_name: p.lastName, username: p.username, language_code: p.languageCode, allows_write_to_pm: true })
  const fields: Record<string, string> = { user, chat_instance: String(-p.telegramId * 7), chat_type: 'sender', signature: '' }
  if (startParam) fields.start_param = startParam
  const initData = signInitData(fields, token, now)
  const hash = new URLSearchParams({
    tgWebAppData: initData,
    tgWebAppVersion: SANDBOX_VERSION,
    tgWebAppPlatform: SANDBOX_PLATFORM,
    tgWebAppThemeParams: JSON.stringify(TELEGRAM_THEMES[theme]),
    ...(startParam ? { tgWebAppStartParam: startParam } : {}),
  }).toString()
  return { person: key, name: [p.firstName, p.lastName].filter(Boolean).join(' '), roles: p.roles, phone: `+${p.phone}`, hash, initData, themeParams: { ...TELEGRAM_THEMES[theme] } }
}

type StoredMessage = Record<string, unknown> & { message_id: number; chat: { id: number }; from?: User; date: number }

type InlineButton = { text: string; callback_data?: string; url?: string; web_app?: { url: string } }

/**
 * An amount as Telegram's clients write it: by the currency's own convention, whatever the
 * interface language (RUB 105000 -> "1 050 ₽", USD 1050 -> "$10.50"), Stars as "⭐️ 50".
 */
export function telegramAmount(minor: number, currency: string) {
  if (currency === 'XTR') return `⭐️ ${minor}`
  const digits = minor % 100 === 0 ? 0 : 2
  const locale = currency === 'RUB' ? 'ru-RU' : 'en-US'
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 100).replace(/[\u00a0\u202f]/g, ' ')
}

/** Telegram's own line in the chat after a payment, in the person's language. */
const PAID = { ru: (amount: string) => `Вы успешно оплатили ${amount}`, en: (amount: string) => `You successfully paid ${amount}` }

function toChatMessage(message: StoredMessage, botId: number, lang: 'ru' | 'en'): SandboxChatMessage {
  const markup = message.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined
  const invoice = message.invoice as { title: string; description: string; currency: string; total_amount: number } | undefined
  const payment = message.successful_payment as { total_amount: number; currency: string } | undefined
  const contact = message.contact as { phone_number: string; first_name: string; last_name?: string } | undefined
  const kind = invoice ? 'invoice' : payment ? 'service' : contact ? 'contact' : message.photo ? 'photo' : message.document ? 'document' : typeof message.text === 'string' ? 'text' : 'other'
  const shown = payment ? PAID[lang](telegramAmount(payment.total_amount, payment.currency)) : contact ? `📞 ${[contact.first_name, contact.last_name].filter(Boolean).join(' ')}: +${contact.phone_number.replace(/^\+/, '')}` : undefined
  const text = (message.text ?? message.caption ?? shown) as string | undefined
  return {
    id: message.message_id,
    from: message.from?.id === botId ? 'bot' : 'user',
    date: message.date,
    text,
    kind,
    ...(invoice && { invoice: { title: invoice.title, description: invoice.description, currency: invoice.currency, totalAmount: invoice.total_amount } }),
    buttons: (markup?.inline_keyboard ?? []).map((row) => row.map((b) => ({ text: b.text, callbackData: b.callback_data, url: b.url, webAppUrl: b.web_app?.url }))),
    edited: message.edit_date != null,
  }
}

/** The person's private chat with the bot, oldest first. */
export function chatHistory(fake: FakeBotApi, key: SandboxPerson): SandboxChatMessage[] {
  const person = demoPerson(key)
  const lang = person.languageCode === 'ru' ? 'ru' : 'en'
  return (fake.chatMessages(person.telegramId) as StoredMessage[]).map((m) => toChatMessage(m, fake.botUser.id, lang))
}

async function deliver(fake: FakeBotApi, update: Parameters<FakeBotApi['deliverUpdate']>[0]) {
  const res = await fake.deliverUpdate(update)
  if (res.status >= 300) throw new DomainError('internal_error', `The webhook answered ${res.status}`, 502)
}

/** The person writes to the bot (a command when it starts with "/"). */
export async function sendUserMessage(fake: FakeBotApi, key: SandboxPerson, text: string) {
  const from = telegramUser(key)
  const command = /^(\/[A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text)
  const update = command ? fake.updates.command(from, command[1]!, command[2]?.trim() || undefined) : fake.updates.message(from, text)
  await deliver(fake, update)
  return { messageId: update.message.message_id }
}

/**
 * The person answers the Mini App's requestContact. Sharing does what Telegram does: the contact
 * reaches the bot as a message from the person (through the webhook), and the Mini App can then
 * read it with `getRequestedContact`: `contact=<json>&auth_date=<s>&hash=<hex>`, signed like
 * initData with the bot token. Declining sends nothing.
 */
export async function answerContactRequest(fake: FakeBotApi, key: SandboxPerson, share: boolean, now = new Date()): Promise<SandboxContactAnswer> {
  if (!share) return { status: 'cancelled', result: '' }
  const person = demoPerson(key)
  const from = telegramUser(key)
  await deliver(fake, fake.updates.contact(from, person.phone))
  const contact = JSON.stringify({ user_id: person.telegramId, phone_number: person.phone, first_name: person.firstName, last_name: person.lastName })
  return { status: 'sent', result: signInitData({ contact }, fake.token, now) }
}

/** The person presses an inline button under one of the bot's messages. */
export async function pressInlineButton(fake: FakeBotApi, key: SandboxPerson, messageId: number, data: string) {
  const from = telegramUser(key)
  const message = fake.chatMessage(from.id, messageId)
  if (!message) throw new DomainError('not_found', 'No such message in this chat', 404)
  const update = fake.updates.callbackQuery(from, data, message as never)
  await deliver(fake, update)
  const answer = await fake.waitFor('answerCallbackQuery', (p) => String(p.callback_query_id) === update.callback_query.id, 5000).catch(() => undefined)
  return { answered: Boolean(answer), text: answer ? (answer.params.text as string | undefined) ?? null : null }
}

const PRE_CHECKOUT_TIMEOUT_MS = 10_000
const SHIPPING_TIMEOUT_MS = 10_000
/** How long a `pending` payment stays pending before Telegram reports it paid. */
export const PENDING_PAYMENT_DELAY_MS = 4000

type ShippingAddress = z.output<typeof SandboxShippingAddress>
const yes = (v: unknown) => v === true || v === 'true'

function findInvoice(fake: FakeBotApi, link: string) {
  const invoice = fake.getInvoice(link)
  if (!invoice) throw new DomainError('not_found', 'No such invoice link', 404)
  return invoice
}

/** The invoice as the payment sheet shows it: amounts, and whether Telegram would ask for an address. */
export function describeInvoice(fake: FakeBotApi, link: string): SandboxInvoice {
  const invoice = findInvoice(fake, link)
  return {
    title: invoice.title,
    description: invoice.description,
    currency: invoice.currency,
    totalAmount: invoice.total_amount,
    prices: invoice.prices.map((p) => ({ label: String(p.label), amount: Number(p.amount) })),
    needShippingAddress: yes(invoice.params.need_shipping_address),
    isFlexible: yes(invoice.params.is_flexible),
  }
}

/** The sheet's address form: Telegram sends shipping_query to the bot and shows what it answers (within 10 s). */
export async function askShipping(fake: FakeBotApi, key: SandboxPerson, link: string, address: ShippingAddress): Promise<SandboxShippingAnswer> {
  const invoice = findInvoice(fake, link)
  if (!yes(invoice.params.is_flexible)) throw new DomainError('validation_failed', 'This invoice does not ask for a shipping address', 400)
  const update = fake.updates.shippingQuery(telegramUser(key), { invoice_payload: invoice.payload, shipping_address: address })
  const answered = fake.waitFor('answerShippingQuery', (p) => String(p.shipping_query_id) === update.shipping_query.id, SHIPPING_TIMEOUT_MS)
  await deliver(fake, update)
  const call = await answered.catch(() => undefined)
  const answer = fake.shippingAnswers.get(update.shipping_query.id)
  if (!call || !answer) return { queryId: update.shipping_query.id, ok: false, options: [], error: 'The bot did not answer the shipping query within 10 seconds' }
  return { queryId: update.shipping_query.id, ok: answer.ok, options: answer.shipping_options ?? [], error: answer.ok ? null : (answer.error_message ?? null) }
}

type Shipping = { queryId: string; optionId: string; address: ShippingAddress }

/**
 * Plays Telegram's payment sheet: for "paid", a pre_checkout_query through the webhook, then
 * (if the bot said ok within 10 s) successful_payment; "pending" answers at once and sends
 * successful_payment a few seconds later. A flexible invoice is paid with an option the bot
 * offered for the address, its price added to the total as Telegram does. Returns what
 * openInvoice resolves with.
 */
export async function payInvoice(fake: FakeBotApi, key: SandboxPerson, link: string, outcome: 'paid' | 'cancelled' | 'failed' | 'pending', shipping?: Shipping) {
  const invoice = findInvoice(fake, link)
  if (outcome === 'cancelled' || outcome === 'failed') return { status: outcome, reason: null as string | null }
  const from = telegramUser(key)
  const query: PaymentInput = { currency: invoice.currency, total_amount: invoice.total_amount, invoice_payload: invoice.payload }
  if (yes(invoice.params.is_flexible)) {
    const option = shipping && fake.shippingAnswers.get(shipping.queryId)?.shipping_options?.find((o) => o.id === shipping.optionId)
    if (!shipping || !option) return { status: 'failed' as const, reason: 'Choose a shipping address and a delivery option first' }
    query.total_amount += option.prices.reduce((sum, p) => sum + Number(p.amount), 0)
    query.shipping_option_id = option.id
    query.order_info = { shipping_address: shipping.address }
  }
  const update = fake.updates.preCheckoutQuery(from, query)
  const answered = fake.waitFor('answerPreCheckoutQuery', (p) => String(p.pre_checkout_query_id) === update.pre_checkout_query.id, PRE_CHECKOUT_TIMEOUT_MS)
  await deliver(fake, update)
  const answer = await answered.catch(() => undefined)
  if (!answer) return { status: 'failed' as const, reason: 'The bot did not answer the pre-checkout query within 10 seconds' }
  const ok = answer.params.ok === true || answer.params.ok === 'true'
  if (!ok) return { status: 'failed' as const, reason: String(answer.params.error_message ?? 'Declined by the bot') }
  const chargeId = `${invoice.currency === 'XTR' ? 'stxn' : 'tg'}_${randomBytes(12).toString('hex')}`
  const payment = { ...query, telegram_payment_charge_id: chargeId, provider_payment_charge_id: invoice.currency === 'XTR' ? '' : `sandbox_${randomBytes(8).toString('hex')}` }
  const succeed = async () => {
    if (invoice.currency === 'XTR') fake.recordStarPayment(from.id, chargeId, query.total_amount, { user: from, invoice_payload: invoice.payload })
    await deliver(fake, fake.updates.successfulPayment(from, payment))
  }
  if (outcome === 'pending') {
    // The provider confirms later; the Mini App shows "being confirmed" and follows the order meanwhile.
    setTimeout(() => void succeed().catch(() => undefined), PENDING_PAYMENT_DELAY_MS).unref?.()
    return { status: 'pending' as const, reason: null }
  }
  await succeed()
  return { status: 'paid' as const, reason: null }
}

export { TELEGRAM_THEMES }
