import { inboxView } from '#server/services/support/views'
import { InboxQuerySchema } from '#shared/schemas/support'

/** The support inbox: a folder (new, mine, waiting, closed, open), newest first, with counters. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const query = await getValidatedQuery(event, InboxQuerySchema.parse)
  return inboxView(ctx.db, query, ctx.actor.userId!)
})
