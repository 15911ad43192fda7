import { customerHistory } from '#server/services/account/history'
import { HistoryQuerySchema } from '#shared/schemas/account'

/** One history across modules (orders, and bookings, conversations, forms as they come), newest first. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const query = await getValidatedQuery(event, HistoryQuerySchema.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return customerHistory(ctx.db, ctx.actor.userId!, query)
})
