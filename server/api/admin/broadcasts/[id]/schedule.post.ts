import { scheduleBroadcast } from '#server/services/broadcasts'
import { BroadcastParamsSchema, BroadcastScheduleSchema } from '#shared/schemas/broadcasts'

/** Sends now or at a time; refused until the author got a preview of this version (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { id } = await getValidatedRouterParams(event, BroadcastParamsSchema.parse)
  const { at } = await readValidatedBody(event, BroadcastScheduleSchema.parse)
  return scheduleBroadcast(ctx, id, at ? new Date(at) : null)
})
