import type { Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import type { SupportAttachment } from '../db/schema/support'
import { chatLocale, clearBotBlocked, syncTelegramUser } from '../services/auth/users'
import { contextFor } from '../services/context'
import { rateConversation, recordCustomerMessage } from '../services/support'
import { DomainError } from '../utils/errors'

const TEXT = {
  thanks: { ru: 'Спасибо за оценку!', en: 'Thank you for the rating!' },
  unsupported: { ru: 'Такое сообщение мы не можем передать оператору. Напишите текстом или пришлите фото или файл.', en: 'We cannot pass this kind of message to an operator. Please write text or send a photo or a file.' },
} as const

/** Telegram sends a file at most this large to bots (getFile); larger ones are refused, not half-kept. */
const MAX_FILE_BYTES = 20 * 1024 * 1024

type Raw = Record<string, unknown>
type FileLike = { file_id: string; file_unique_id?: string; file_name?: string; mime_type?: string; file_size?: number }
const FILE_KINDS = ['document', 'video', 'voice', 'audio', 'sticker', 'animation', 'video_note'] as const

/** The Telegram file reference of a message (the largest photo size), or undefined for text. */
function attachmentOf(message: Raw): SupportAttachment | undefined {
  const pick = (kind: SupportAttachment['kind'], file: FileLike): SupportAttachment => ({
    kind,
    fileId: file.file_id,
    ...(file.file_unique_id && { fileUniqueId: file.file_unique_id }),
    ...(file.file_name && { fileName: file.file_name.slice(0, 200) }),
    ...(file.mime_type && { mimeType: file.mime_type.slice(0, 100) }),
    ...(file.file_size !== undefined && { size: file.file_size }),
  })
  if (Array.isArray(message.photo) && message.photo.length) return pick('photo', message.photo.at(-1) as FileLike)
  for (const kind of FILE_KINDS) if (message[kind] && typeof message[kind] === 'object') return pick(kind, message[kind] as FileLike)
  return undefined
}

/** Whether this private message is for support: not a command, not a shared contact, not a service message. */
export function isSupportMessage(ctx: Context) {
  const message = ctx.message as unknown as Raw | undefined
  if (!message || ctx.chat?.type !== 'private' || !ctx.from || ctx.from.is_bot) return false
  if ('contact' in message) return false
  if (typeof message.text === 'string') return !message.text.startsWith('/')
  return !!attachmentOf(message) || typeof message.caption === 'string'
}

/**
 * A customer writes to the bot: the message (text, caption, the file reference) is stored in their
 * conversation, keyed by chat and message id, so Telegram redelivering the update stores nothing
 * twice; operators and the automatic answers follow from the service.
 */
export async function onSupportMessage(ctx: Context, services: AppServices) {
  const from = ctx.from!
  const message = ctx.message as unknown as Raw & { message_id: number }
  const { user } = await syncTelegramUser(services.db, { id: from.id, firstName: from.first_name, lastName: from.last_name, username: from.username, languageCode: from.language_code }, { source: 'bot', ownerIds: services.config.adminTelegramIds })
  // Writing to the bot means the customer wants our messages again.
  await clearBotBlocked(services.db, from.id)
  const locale = user.locale
  const attachment = attachmentOf(message)
  if (attachment?.size !== undefined && attachment.size > MAX_FILE_BYTES) return void (await ctx.reply(TEXT.unsupported[locale]))
  const text = typeof message.text === 'string' ? message.text : typeof message.caption === 'string' ? message.caption : null
  const customer = contextFor(services, { kind: 'customer', userId: from.id, via: 'bot' }, { requestId: `update-${ctx.update.update_id}`, ip: null })
  await recordCustomerMessage(customer, { text: text?.slice(0, 4000) ?? null, attachment, sourceKey: `tg:${from.id}:${message.message_id}`, via: 'bot', locale })
}

/** A tap on a rating star under the closing message: `support:rate:<conversation>:<1-5>`. */
export async function onRatingButton(ctx: Context, services: AppServices) {
  const query = ctx.callbackQuery as { data?: string; from: { id: number; language_code?: string } }
  const match = /^support:rate:(\d{1,9}):([1-5])$/.exec(query.data ?? '')
  const locale = await chatLocale(services.db, query.from.id, query.from.language_code)
  if (!match) return void (await ctx.answerCbQuery())
  const customer = contextFor(services, { kind: 'customer', userId: query.from.id, via: 'bot' }, { requestId: `update-${ctx.update.update_id}`, ip: null })
  try {
    await rateConversation(customer, Number(match[1]), { rating: Number(match[2]) })
  } catch (error) {
    if (!(error instanceof DomainError)) throw error
    return void (await ctx.answerCbQuery())
  }
  await ctx.answerCbQuery(TEXT.thanks[locale])
}
