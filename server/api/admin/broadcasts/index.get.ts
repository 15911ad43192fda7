import { listBroadcasts } from '#server/services/broadcasts'
import { BroadcastListQuerySchema } from '#shared/schemas/broadcasts'

/** Broadcasts, newest first, with their delivery and click figures. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const { before } = await getValidatedQuery(event, BroadcastListQuerySchema.parse)
  return listBroadcasts(ctx.db, before)
})
