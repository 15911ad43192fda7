import { rateConversation } from '#server/services/support'
import { toCustomerConversationDto } from '#server/services/support/dto'
import { ConversationParamsSchema, RatingSchema } from '#shared/schemas/support'

/** The customer rates their closed conversation (1-5 and a comment). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, ConversationParamsSchema.parse)
  const input = await readValidatedBody(event, RatingSchema.parse)
  return toCustomerConversationDto(await rateConversation(ctx, id, input))
})
