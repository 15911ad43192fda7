import { updateBroadcast } from '#server/services/broadcasts'
import { BroadcastInputSchema, BroadcastParamsSchema } from '#shared/schemas/broadcasts'

/** Rewrites a draft (audited); a change needs a new preview before sending. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { id } = await getValidatedRouterParams(event, BroadcastParamsSchema.parse)
  const input = await readValidatedBody(event, BroadcastInputSchema.parse)
  return updateBroadcast(ctx, id, input)
})
