import { getOrderV1 } from '#server/services/partner-api'
import { V1OrderParamsSchema } from '#shared/schemas/partner-api'

/** One order with lines, timeline and the statuses it may move to (scope `orders:read`). */
export default defineEventHandler(async (event) => {
  const { ctx } = await partnerRequest(event, 'orders:read')
  const { id } = await getValidatedRouterParams(event, V1OrderParamsSchema.parse)
  return getOrderV1(ctx.db, id)
})
