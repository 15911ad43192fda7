import { mySubmissions } from '#server/services/forms'
import { MySubmissionsQuerySchema } from '#shared/schemas/forms'

/** What this person sent since `since` (default: the last 24 hours), e.g. a field employee's "sent today". */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const { since } = await getValidatedQuery(event, MySubmissionsQuerySchema.parse)
  return { items: await mySubmissions(ctx, since ?? new Date(Date.now() - 24 * 3600 * 1000)) }
})
