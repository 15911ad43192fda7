import { retryDelivery } from '#server/services/support'
import { toStaffMessageDto } from '#server/services/support/dto'
import { SupportMessageParamsSchema } from '#shared/schemas/support'

/** Send an undelivered reply again (after the customer unblocked the bot, or Telegram recovered). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const { id } = await getValidatedRouterParams(event, SupportMessageParamsSchema.parse)
  return toStaffMessageDto(await retryDelivery(ctx, id), new Map())
})
