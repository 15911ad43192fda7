import type { Context } from 'telegraf'
import type { AppServices } from '../composition-root'
import type { SupportAttachment } from '../db/schema/support'
import { can } from '#shared/permissions'
import { chatLocale, clearBotBlocked, getRoles, syncTelegramUser } from '../services/auth/users'
import { contextFor } from '../services/context'
import { OPERATOR_ATTACHMENT_KINDS, rateConversation, recordCustomerMessage, replyAsOperator, setConversationStatus } from '../services/support'
import { conversationByTopic, getOperatorGroup } from '../services/support/topics'
import { DomainError } from '../utils/errors'

const TEXT = {
  thanks: { ru: 'Спасибо за оценку!', en: 'Thank you for the rating!' },
  notOperator: {
    ru: 'Ответ не отправлен: писать клиентам могут только сотрудники с доступом к поддержке. Попросите владельца выдать вам роль оператора в /admin.',
    en: 'Not sent: only staff who answer support can write to customers. Ask the owner to give you the operator role in /admin.',
  },
  filesOnly: {
    ru: 'Не отправлено: клиенту уходят только текст, фото и файлы. Напишите ответ словами или пришлите его файлом.',
    en: 'Not sent: only text, photos and files reach the customer. Write the answer in words or send it as a file.',
  },
  tooLarge: { ru: 'Это не отправлено: файл больше 20 МБ. Пришлите файл поменьше или ссылку.', en: 'Not sent: the file is over 20 MB. Send a smaller file or a link.' },
  closed: { ru: 'Обращение закрыто; клиент начнёт новое, если напишет снова.', en: 'The conversation is closed; the customer starts a new one by writing again.' },
  unsupported: { ru: 'Такое сообщение мы не можем передать оператору. Напишите текстом или пришлите фото или файл.', en: 'We cannot pass this kind of message to an operator. Please write text or send a photo or a file.' },
} as const

/** Telegram sends a file at most this large to bots (getFile); larger ones are refused, not half-kept. */
const MAX_FILE_BYTES = 20 * 1024 * 1024

type Raw = Record<string, unknown>
type FileLike = { file_id: string; file_unique_id?: string; file_name?: string; mime_type?: string; file_size?: number }
const FILE_KINDS = ['document', 'video', 'voice', 'audio', 'sticker', 'animation', 'video_note'] as const
/** Content that is neither text nor a file (no attachment to pass on): a location, a poll, a contact... */
const OTHER_CONTENT = ['location', 'venue', 'contact', 'poll', 'dice', 'game', 'story', 'paid_media'] as const

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

/**
 * A message in a forum topic of the operators' group. Returns false when it is not one of ours
 * (another group, General, a topic no conversation has), so routing goes on. In a conversation's
 * topic, `/close` closes the conversation and any other text, photo or document (the caption its
 * words) is an operator's answer: stored as that operator's reply (keyed by chat and message id: a
 * redelivery stores nothing twice) and delivered through the same queue as answers from /admin.
 * Someone who does not answer support, a sticker, voice or other kind, or a file over Telegram's
 * limit for bots gets a hint and nothing reaches the customer.
 */
export async function onTopicMessage(ctx: Context, services: AppServices): Promise<boolean> {
  const message = ctx.message as unknown as (Raw & { message_id: number; message_thread_id?: number; is_topic_message?: boolean }) | undefined
  if (!message || ctx.chat?.type !== 'supergroup' || !message.is_topic_message || !message.message_thread_id || !ctx.from || ctx.from.is_bot) return false
  const { chatId } = await getOperatorGroup(services.db)
  if (chatId === null || ctx.chat.id !== chatId) return false
  const conversation = await conversationByTopic(services.db, chatId, message.message_thread_id)
  if (!conversation) return false
  const from = ctx.from
  // Service messages (topic created/closed, members joining) are not answers.
  const attachment = attachmentOf(message)
  const text = (typeof message.text === 'string' ? message.text : typeof message.caption === 'string' ? message.caption : '').trim() || null
  if (!text && !attachment && !OTHER_CONTENT.some((kind) => kind in message)) return true
  const locale = await chatLocale(services.db, from.id, from.language_code)
  const hint = (words: string) => ctx.reply(words, { message_thread_id: message.message_thread_id, reply_parameters: { message_id: message.message_id } } as never)
  const roles = await getRoles(services.db, from.id)
  if (!can(roles, 'support.reply')) return void (await hint(TEXT.notOperator[locale])), true
  const operator = contextFor(services, { kind: 'staff', userId: from.id, via: 'bot', roles }, { requestId: `update-${ctx.update.update_id}`, ip: null })
  if (text && !attachment && /^\/close(@\w+)?$/i.test(text)) {
    await setConversationStatus(operator, conversation.id, 'closed')
    return true
  }
  if (attachment && !OPERATOR_ATTACHMENT_KINDS.includes(attachment.kind)) return void (await hint(TEXT.filesOnly[locale])), true
  if (attachment?.size !== undefined && attachment.size > MAX_FILE_BYTES) return void (await hint(TEXT.tooLarge[locale])), true
  if (!text && !attachment) return void (await hint(TEXT.filesOnly[locale])), true
  try {
    await replyAsOperator(operator, conversation.id, { text: text?.slice(0, 4000) ?? null, attachment, sourceKey: `tg:${chatId}:${message.message_id}` })
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conversation_closed') return void (await hint(TEXT.closed[locale])), true
    throw error
  }
  return true
}
