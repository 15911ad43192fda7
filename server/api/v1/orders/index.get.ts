import { listOrdersV1 } from '#server/services/partner-api'
import { V1OrdersQuerySchema } from '#shared/schemas/partner-api'

/** Orders, newest first, by status and "changed since" (scope `orders:read`). */
export default defineEventHandler(async (event) => {
  const { ctx } = await partnerRequest(event, 'orders:read')
  const query = await getValidatedQuery(event, V1OrdersQuerySchema.parse)
  return listOrdersV1(ctx.db, query)
})
