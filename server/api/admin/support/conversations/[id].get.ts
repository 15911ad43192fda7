import { markReadByStaff } from '#server/services/support'
import { conversationView } from '#server/services/support/views'
import { ConversationParamsSchema } from '#shared/schemas/support'

/** One conversation with every message, the customer beside it and the operators it may go to; opening it reads it. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const { id } = await getValidatedRouterParams(event, ConversationParamsSchema.parse)
  const view = await conversationView(ctx.db, id)
  await markReadByStaff(ctx.db, id)
  return view
})
