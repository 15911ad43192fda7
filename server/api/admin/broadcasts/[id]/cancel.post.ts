import { cancelBroadcast } from '#server/services/broadcasts'
import { BroadcastParamsSchema } from '#shared/schemas/broadcasts'

/** Cancels a draft or a scheduled broadcast, or stops one being sent (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { id } = await getValidatedRouterParams(event, BroadcastParamsSchema.parse)
  return cancelBroadcast(ctx, id)
})
