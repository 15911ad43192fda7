import { listConsentingCustomersV1 } from '#server/services/partner-api'
import { V1CustomersQuerySchema } from '#shared/schemas/partner-api'

/** Customers who agreed to news and offers (scope `customers:read`). */
export default defineEventHandler(async (event) => {
  const { ctx } = await partnerRequest(event, 'customers:read')
  const query = await getValidatedQuery(event, V1CustomersQuerySchema.parse)
  return listConsentingCustomersV1(ctx.db, query)
})
