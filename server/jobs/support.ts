import { Markup, TelegramError } from 'telegraf'
import { eq } from 'drizzle-orm'
import type { MessageRow } from '../services/support'
import { can, PERMISSIONS } from '#shared/permissions'
import { jobWorker, type JobContext } from './queue'
import type { AppServices, JobDeps } from '../composition-root'
import { chatRecipient, listStaffIds, getRoles, userNames } from '../services/auth/users'
import { classifySendError, RetryAfterError, sendChatFile, sendChatMessage, SendLimiter } from '../services/notifications/chat'
import { getConversation, messageForDelivery, recordDelivery, recordDeliveryFailure } from '../services/support'
import { askSupportRatingJob, deliverSupportMessageJob, notifyOperatorsJob, relayToTopicJob, syncTopicJob } from '../services/support/jobs'
import { getOperatorGroup, messagesToRelay, recordTopic, recordTopicCopy, topicName } from '../services/support/topics'
import { supportConversations, type SupportAttachment } from '../db/schema/support'
import { chatMessageJob } from '../services/notifications/jobs'
import { untilStored } from '../utils/durable'

const TEXT = {
  rate: { ru: 'Вопрос закрыт. Оцените, пожалуйста, как мы помогли:', en: 'Your question is closed. How well did we help?' },
  waiting: { ru: (name: string, text: string) => `Новое обращение от ${name}:\n${text}`, en: (name: string, text: string) => `New support request from ${name}:\n${text}` },
  open: { ru: 'Открыть', en: 'Open' },
  operator: { ru: 'Оператор', en: 'Operator' },
  help: { ru: 'Ответы на вопросы', en: 'Answers to questions' },
}

/** Telegram lets a bot post about 20 messages a minute into one group: one every 3 s, 20 a second overall. */
const groupSendLimiter = new SendLimiter(20, 3000)

/** A Telegram failure as the queue wants it: 429 waits `retry_after`, anything else is retried by the queue. */
function rethrowForQueue(error: unknown): never {
  const failure = classifySendError(error)
  if (failure.kind === 'retry_after') throw new RetryAfterError(failure.seconds)
  throw error
}

const isBadRequest = (error: unknown, text: RegExp) => error instanceof TelegramError && error.code === 400 && text.test(error.description)

/**
 * The conversation's forum topic in the group, created on first use. Relays run one at a time
 * (the queue's policy), so two relays of one conversation (two replicas) never make two topics.
 */
async function ensureTopic(services: AppServices, conversationId: number, chatId: number): Promise<number> {
  const tx = services.db
  const [conversation] = await tx.select().from(supportConversations).where(eq(supportConversations.id, conversationId))
  if (!conversation) throw new Error(`conversation ${conversationId} is gone`)
  if (conversation.topicChatId === chatId && conversation.topicThreadId !== null) return conversation.topicThreadId
  const name = (await userNames(tx, [conversation.customerId])).get(conversation.customerId) ?? String(conversation.customerId)
  const topic = await groupSendLimiter.send(chatId, () => services.bot.telegram.createForumTopic(chatId, topicName(name, conversationId)))
  await untilStored(() => recordTopic(tx, conversationId, chatId, topic.message_thread_id))
  if (conversation.status === 'closed') await services.bot.telegram.closeForumTopic(chatId, topic.message_thread_id).catch(() => {})
  return topic.message_thread_id
}

/** Posts one message into the topic: the customer's Telegram message copied as it is, anything else as text. */
async function postToTopic(services: AppServices, chatId: number, threadId: number, message: MessageRow) {
  const source = /^tg:(\d+):(\d+)$/.exec(message.sourceKey ?? '')
  return groupSendLimiter.send(chatId, async () => {
    if (message.kind === 'customer' && source) {
      try {
        return await services.bot.telegram.copyMessage(chatId, Number(source[1]), Number(source[2]), { message_thread_id: threadId })
      } catch (error) {
        // The customer deleted it in the meantime: what we stored goes as text.
        if (!isBadRequest(error, /message to copy not found|message can't be copied/i)) throw error
      }
    }
    const author = message.kind === 'customer' ? '' : `${(message.authorId && (await userNames(services.db, [message.authorId])).get(message.authorId)) || TEXT.operator.ru}: `
    const text = message.text ?? `[${message.attachment?.kind ?? 'message'}${message.attachment?.fileName ? ` ${message.attachment.fileName}` : ''}]`
    return services.bot.telegram.sendMessage(chatId, `${author}${text}`.slice(0, 4096), { message_thread_id: threadId })
  })
}

/** Telegram's limit on a caption; longer words follow the file as a message of their own. */
const MAX_CAPTION = 1024

/**
 * An operator's photo or document, resent by its `file_id`, with their words as the caption. Words
 * too long for a caption (Premium users may write more) go right after as a message; a retry after
 * the file went but the words did not would send the file again (rare: both go a second apart).
 */
async function sendFileWithText(services: AppServices, chatId: number, attachment: SupportAttachment, text: string | null): Promise<'sent' | 'blocked'> {
  const file = { kind: attachment.kind === 'photo' ? ('photo' as const) : ('document' as const), fileId: attachment.fileId }
  if (!text || text.length <= MAX_CAPTION) return sendChatFile(services, chatId, file, text ?? undefined)
  const outcome = await sendChatFile(services, chatId, file)
  return outcome === 'blocked' ? outcome : sendChatMessage(services, chatId, text)
}

export const supportWorkers = [
  /**
   * An operator's reply or an automatic answer, into the customer's chat (a photo or document an
   * operator posted in the topic goes by its `file_id`, the words as its caption). A customer who blocked
   * the bot gets nothing more and the message says so; other failures are counted on the message
   * and, after the last attempt, it is marked failed for the operator to see.
   */
  jobWorker(deliverSupportMessageJob, async ({ messageId }, { services, logger }: JobContext<JobDeps>) => {
    const row = await messageForDelivery(services.db, messageId)
    if (!row || row.message.delivery !== 'pending' || (!row.message.text && !row.message.attachment)) return
    const customer = await chatRecipient(services.db, row.customerId)
    if (!customer || customer.blocked) return void (await recordDelivery(services.db, messageId, 'blocked'))
    const { text, attachment } = row.message
    let outcome: 'sent' | 'blocked'
    try {
      // Automatic answers carry the way into the answer base; an operator's reply is just their words.
      const keyboard = row.message.kind === 'auto' ? Markup.inlineKeyboard([Markup.button.webApp(TEXT.help[customer.locale], new URL('/app/support', services.config.publicUrl).toString())]) : undefined
      outcome = attachment ? await sendFileWithText(services, customer.id, attachment, text) : await sendChatMessage(services, customer.id, text!, keyboard)
    } catch (error) {
      if (error instanceof RetryAfterError) throw error
      if (await recordDeliveryFailure(services.db, messageId, error)) throw error
      return void logger.warn('support message not delivered after the last attempt', { messageId, error })
    }
    // Telegram has it: the mark waits out a database outage rather than let a retry send it twice.
    await untilStored(() => recordDelivery(services.db, messageId, outcome))
    if (outcome === 'blocked') logger.info('customer blocked the bot; support reply not delivered', { messageId, userId: customer.id })
  }),
  /** The closing message with rating buttons (1-5); the customer's tap comes back as `support:rate:<id>:<n>`. */
  jobWorker(askSupportRatingJob, async ({ conversationId }, { services }: JobContext<JobDeps>) => {
    const { conversation } = await getConversation(services.db, conversationId)
    const customer = await chatRecipient(services.db, conversation.customerId)
    if (!customer || customer.blocked || conversation.rating !== null) return
    const stars = [1, 2, 3, 4, 5].map((n) => Markup.button.callback('★'.repeat(n), `support:rate:${conversationId}:${n}`))
    await sendChatMessage(services, customer.id, TEXT.rate[customer.locale], Markup.inlineKeyboard([stars.slice(0, 3), stars.slice(3)]))
  }),
  /**
   * Operators hear of a waiting customer: the assignee if there is one, else everyone who answers
   * support; one chat-message job per operator, so a retry never repeats what another already got.
   */
  jobWorker(notifyOperatorsJob, async ({ conversationId }, { services }: JobContext<JobDeps>) => {
    const { conversation, messages } = await getConversation(services.db, conversationId)
    if (conversation.status === 'closed') return
    const ids = conversation.assigneeId ? [conversation.assigneeId] : await listStaffIds(services.db, PERMISSIONS['support.reply'])
    const name = (await userNames(services.db, [conversation.customerId])).get(conversation.customerId) ?? String(conversation.customerId)
    const last = messages.filter((m) => m.kind === 'customer').at(-1)
    const text = (last?.text ?? `[${last?.attachment?.kind ?? 'message'}]`).slice(0, 500)
    const url = new URL(`/admin/support/${conversationId}`, services.config.publicUrl).toString()
    for (const id of ids) {
      const operator = await chatRecipient(services.db, id)
      if (!operator || operator.blocked || !can(await getRoles(services.db, id), 'support.reply')) continue
      const buttons = url.startsWith('https://') ? [[{ text: TEXT.open[operator.locale], url }]] : undefined
      await services.queue.enqueue(chatMessageJob, { chatId: id, text: `${TEXT.waiting[operator.locale](name, text)}\n${url}`, buttons }, { singletonKey: `support-notify-${conversationId}-${last?.id ?? 0}-${id}`, singletonSeconds: 3600 })
    }
  }),
  /**
   * One message into the conversation's topic in the operators' group: the customer's Telegram
   * message is copied as it is (text, photo, document by Telegram's own copy); a message written
   * in the Mini App, and an answer written in /admin, as text. Nothing when no group is set.
   */
  jobWorker(relayToTopicJob, async ({ messageId }, { services, logger }: JobContext<JobDeps>) => {
    const { chatId } = await getOperatorGroup(services.db)
    const row = await messageForDelivery(services.db, messageId)
    if (chatId === null || !row || row.message.topicMessageId !== null) return
    const conversationId = row.message.conversationId
    // The queue runs one relay at a time across replicas (policy `singleton`), and each posts
    // everything not yet posted up to its message, oldest first: the topic reads in the order the
    // conversation was written, also when an earlier relay failed and is retried later.
    const threadId = await ensureTopic(services, conversationId, chatId).catch(rethrowForQueue)
    for (const message of await messagesToRelay(services.db, conversationId, messageId)) {
      try {
        const sent = await postToTopic(services, chatId, threadId, message)
        await untilStored(() => recordTopicCopy(services.db, message.id, sent.message_id))
      } catch (error) {
        // Someone deleted the topic in Telegram: forget it, the retry makes a new one.
        if (isBadRequest(error, /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i)) {
          logger.warn('support topic is gone; a new one is made on the retry', { conversationId, threadId })
          await recordTopic(services.db, conversationId, null, null)
        }
        rethrowForQueue(error)
      }
    }
  }),
  /** The topic follows the conversation: closed when it is closed (in /admin or by /close), reopened with it. */
  jobWorker(syncTopicJob, async ({ conversationId }, { services }: JobContext<JobDeps>) => {
    const { conversation } = await getConversation(services.db, conversationId)
    if (conversation.topicChatId === null || conversation.topicThreadId === null) return
    const closing = conversation.status === 'closed'
    const { topicChatId: chatId, topicThreadId: threadId } = conversation
    try {
      await groupSendLimiter.send(chatId, () => (closing ? services.bot.telegram.closeForumTopic(chatId, threadId) : services.bot.telegram.reopenForumTopic(chatId, threadId)))
    } catch (error) {
      // Already in that state (e.g. closed by hand in Telegram): nothing to do.
      if (isBadRequest(error, /TOPIC_NOT_MODIFIED/i)) return
      rethrowForQueue(error)
    }
  }),
]
