import { setConversationStatus } from '#server/services/support'
import { ConversationParamsSchema, ConversationStatusSchema } from '#shared/schemas/support'

/** Open, waiting or closed; closing asks the customer for a rating (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const { id } = await getValidatedRouterParams(event, ConversationParamsSchema.parse)
  const { status } = await readValidatedBody(event, ConversationStatusSchema.parse)
  const row = await setConversationStatus(ctx, id, status)
  return { id: row.id, status: row.status, closedAt: row.closedAt }
})
