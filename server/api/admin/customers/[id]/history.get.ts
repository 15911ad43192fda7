import { customerHistory } from '#server/services/account/history'
import { getAccountProfile } from '#server/services/account/profile'
import { CustomerHistoryQuerySchema, CustomerParamsSchema } from '#shared/schemas/account'

/** More of a customer's history (paged with `before`, searchable). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.read')
  const { id } = await getValidatedRouterParams(event, CustomerParamsSchema.parse)
  const query = await getValidatedQuery(event, CustomerHistoryQuerySchema.parse)
  await getAccountProfile(ctx.db, id)
  return customerHistory(ctx.db, id, query)
})
