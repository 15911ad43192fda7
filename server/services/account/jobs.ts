import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/**
 * Generates the PDF receipt of a paid order (queued with the payment; once per order). Deferrable:
 * in a payment burst the receipts wait until the webhooks are answered (a busy spell holds them 15 s at most).
 */
export const issueReceiptJob = defineJob({
  name: 'account.issue-receipt',
  schema: z.object({ orderId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 10, retryBackoff: true },
  work: { deferrable: true },
})

/** Tells the customer in the chat that a new document is in their account (with a button to it). */
export const documentArrivedJob = defineJob({
  name: 'account.document-arrived',
  schema: z.object({ documentId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/** Sends a document's file into the customer's chat (they asked for it in the Mini App). */
export const sendDocumentToChatJob = defineJob({
  name: 'account.send-document',
  schema: z.object({ documentId: z.number().int(), chatId: z.number().int() }),
  queue: { retryLimit: 8, retryDelay: 5, retryBackoff: true },
})

/** Removes stored document files after the rows that named them are gone (deleted account, revoked documents). */
export const purgeDocumentFilesJob = defineJob({
  name: 'account.purge-files',
  schema: z.object({ keys: z.array(z.string().regex(/^[0-9a-f-]{36}\.(pdf|jpg|png)$/)).max(10_000) }),
  queue: { retryLimit: 5 },
})

/** Builds the customer's data archive and sends it into their chat (Telegram's mobile clients save files from chats, not from WebViews). */
export const sendExportToChatJob = defineJob({
  name: 'account.send-export',
  schema: z.object({ userId: z.number().int().positive() }),
  queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true },
})
