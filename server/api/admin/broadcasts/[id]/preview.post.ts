import { requestPreview } from '#server/services/broadcasts'
import { BroadcastParamsSchema } from '#shared/schemas/broadcasts'

/** Sends the draft to the author's own chat, in each of its languages (queued; audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { id } = await getValidatedRouterParams(event, BroadcastParamsSchema.parse)
  const broadcast = await requestPreview(ctx, id)
  setResponseStatus(event, 202)
  return broadcast
})
