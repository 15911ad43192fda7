import { sendDocumentToChat } from '#server/services/account/documents'
import { AccountIdParamsSchema } from '#shared/schemas/account'

/** Queues the document's file for the customer's chat with the bot (202). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, AccountIdParamsSchema.parse)
  await sendDocumentToChat(ctx, id)
  setResponseStatus(event, 202)
  return { queued: true }
})
