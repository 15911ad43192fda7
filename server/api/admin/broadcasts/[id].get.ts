import { getBroadcast } from '#server/services/broadcasts'
import { BroadcastParamsSchema } from '#shared/schemas/broadcasts'

/** One broadcast with its figures (the screen polls it for the progress bar while sending). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { id } = await getValidatedRouterParams(event, BroadcastParamsSchema.parse)
  return getBroadcast(ctx.db, id)
})
