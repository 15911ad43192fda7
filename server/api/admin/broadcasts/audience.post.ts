import { countAudience } from '#server/services/broadcasts'
import { BroadcastSegmentSchema } from '#shared/schemas/broadcasts'

/** How many customers a segment reaches now (opted in to news, not blocked), in all and per language. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'broadcasts.manage')
  const segment = await readValidatedBody(event, BroadcastSegmentSchema.parse)
  return countAudience(ctx.db, segment)
})
