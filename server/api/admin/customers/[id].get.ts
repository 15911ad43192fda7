import { customerCard } from '#server/services/account/admin'
import { CustomerParamsSchema } from '#shared/schemas/account'

/** The customer card: profile, addresses, history across modules, documents, notes. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.read')
  const { id } = await getValidatedRouterParams(event, CustomerParamsSchema.parse)
  return customerCard(ctx.db, id)
})
