import { assignConversation } from '#server/services/support'
import { AssignSchema, ConversationParamsSchema } from '#shared/schemas/support'

/** Give the conversation to an operator, or back to nobody (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const { id } = await getValidatedRouterParams(event, ConversationParamsSchema.parse)
  const { assigneeId } = await readValidatedBody(event, AssignSchema.parse)
  const row = await assignConversation(ctx, id, assigneeId)
  return { id: row.id, assigneeId: row.assigneeId }
})
