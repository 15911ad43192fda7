import { Markup } from 'telegraf'
import { can, PERMISSIONS } from '#shared/permissions'
import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { chatRecipient, listStaffIds, getRoles, userNames } from '../services/auth/users'
import { RetryAfterError, sendChatMessage } from '../services/notifications/chat'
import { getConversation, messageForDelivery, recordDelivery, recordDeliveryFailure } from '../services/support'
import { askSupportRatingJob, deliverSupportMessageJob, notifyOperatorsJob } from '../services/support/jobs'
import { chatMessageJob } from '../services/notifications/jobs'

const TEXT = {
  rate: { ru: 'Вопрос закрыт. Оцените, пожалуйста, как мы помогли:', en: 'Your question is closed. How well did we help?' },
  waiting: { ru: (name: string, text: string) => `Новое обращение от ${name}:\n${text}`, en: (name: string, text: string) => `New support request from ${name}:\n${text}` },
  open: { ru: 'Открыть', en: 'Open' },
  help: { ru: 'Ответы на вопросы', en: 'Answers to questions' },
}

export const supportWorkers = [
  /**
   * An operator's reply or an automatic answer, into the customer's chat. A customer who blocked
   * the bot gets nothing more and the message says so; other failures are counted on the message
   * and, after the last attempt, it is marked failed for the operator to see.
   */
  jobWorker(deliverSupportMessageJob, async ({ messageId }, { services, logger }: JobContext<JobDeps>) => {
    const row = await messageForDelivery(services.db, messageId)
    if (!row || row.message.delivery !== 'pending' || !row.message.text) return
    const customer = await chatRecipient(services.db, row.customerId)
    if (!customer || customer.blocked) return void (await recordDelivery(services.db, messageId, 'blocked'))
    try {
      // Automatic answers carry the way into the answer base; an operator's reply is just their words.
      const keyboard = row.message.kind === 'auto' ? Markup.inlineKeyboard([Markup.button.webApp(TEXT.help[customer.locale], new URL('/app/support', services.config.publicUrl).toString())]) : undefined
      const outcome = await sendChatMessage(services, customer.id, row.message.text, keyboard)
      await recordDelivery(services.db, messageId, outcome)
      if (outcome === 'blocked') logger.info('customer blocked the bot; support reply not delivered', { messageId, userId: customer.id })
    } catch (error) {
      if (error instanceof RetryAfterError) throw error
      if (await recordDeliveryFailure(services.db, messageId, error)) throw error
      logger.warn('support message not delivered after the last attempt', { messageId, error })
    }
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
]
