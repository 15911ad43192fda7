import { Markup } from 'telegraf'
import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { contextFor, systemContext } from '../services/context'
import { exportAccountData } from '../services/account/data'
import { notificationAllowed } from '../services/account/profile'
import { documentMessage, issueReceipt, readDocumentFile } from '../services/account/documents'
import { createDocumentStore } from '../services/account/document-store'
import { documentArrivedJob, issueReceiptJob, purgeDocumentFilesJob, sendDocumentToChatJob, sendExportToChatJob } from '../services/account/jobs'
import { classifySendError, chatSendLimiter, RetryAfterError, sendChatMessage } from '../services/notifications/chat'
import { chatRecipient, markBotBlocked } from '../services/auth/users'
import { miniAppUrl } from '../services/telegram/links'

const ARRIVED = {
  ru: (title: string) => `В вашем личном кабинете новый документ: «${title}».`,
  en: (title: string) => `A new document is in your account: “${title}”.`,
}
const OPEN = { ru: 'Открыть документы', en: 'Open documents' }
const EXPORT_CAPTION = { ru: 'Архив: все ваши данные у нас (account.json) и ваши документы.', en: 'The archive: all your data we hold (account.json) and your documents.' }

export const accountWorkers = [
  /** A paid order gets its PDF receipt. */
  jobWorker(issueReceiptJob, async ({ orderId }, { services }: JobContext<JobDeps>) => {
    await issueReceipt(systemContext(services, 'account.issue-receipt'), orderId)
  }),
  /** "A new document is in your account", with a button into the Mini App's documents (receipts follow the order-updates preference). */
  jobWorker(documentArrivedJob, async ({ documentId }, { services }: JobContext<JobDeps>) => {
    const found = await documentMessage(services.db, documentId)
    if (!found) return
    if (found.doc.kind === 'receipt' && !(await notificationAllowed(services.db, found.doc.userId, 'order_updates'))) return
    const url = miniAppUrl(services.config.publicUrl, 'account_documents')
    const keyboard = url.startsWith('https://') ? Markup.inlineKeyboard([Markup.button.webApp(OPEN[found.recipient.locale], url)]) : undefined
    await sendChatMessage(services, found.recipient.id, ARRIVED[found.recipient.locale](found.doc.title), keyboard)
  }),
  /** The file itself, into the customer's chat, when they ask for it. */
  jobWorker(sendDocumentToChatJob, async ({ documentId, chatId }, { services, logger }: JobContext<JobDeps>) => {
    const found = await documentMessage(services.db, documentId)
    if (!found || found.doc.userId !== chatId) return
    const bytes = await readDocumentFile(services, found.doc)
    try {
      await chatSendLimiter.send(chatId, () => services.bot.telegram.sendDocument(chatId, { source: Buffer.from(bytes), filename: found.doc.fileName }, { caption: found.doc.title }))
    } catch (error) {
      const failure = classifySendError(error)
      if (failure.kind === 'blocked') return void (await markBotBlocked(services.db, chatId), logger.info('customer blocked the bot', { userId: chatId }))
      if (failure.kind === 'retry_after') throw new RetryAfterError(failure.seconds)
      throw error
    }
  }),
  /** The customer's data archive, built now (audited as an export) and sent into their chat. */
  jobWorker(sendExportToChatJob, async ({ userId }, { services, logger }: JobContext<JobDeps>) => {
    const { bytes, fileName } = await exportAccountData(contextFor(services, { kind: 'customer', userId, via: 'bot' }))
    const recipient = await chatRecipient(services.db, userId)
    if (!recipient || recipient.blocked) return
    try {
      await chatSendLimiter.send(userId, () => services.bot.telegram.sendDocument(userId, { source: Buffer.from(bytes), filename: fileName }, { caption: EXPORT_CAPTION[recipient.locale] }))
    } catch (error) {
      const failure = classifySendError(error)
      if (failure.kind === 'blocked') return void (await markBotBlocked(services.db, userId), logger.info('customer blocked the bot', { userId }))
      if (failure.kind === 'retry_after') throw new RetryAfterError(failure.seconds)
      throw error
    }
  }),
  /** Files of revoked documents and deleted accounts. */
  jobWorker(purgeDocumentFilesJob, async ({ keys }, { services }: JobContext<JobDeps>) => {
    const store = createDocumentStore(services.config.dataDir)
    for (const key of keys) await store.remove(key)
  }),
]
