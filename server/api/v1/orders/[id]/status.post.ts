import { setOrderStatusV1 } from '#server/services/partner-api'
import { V1OrderParamsSchema, V1OrderStatusSchema } from '#shared/schemas/partner-api'

/** Moves an order to an allowed next status (scope `orders:write`, Idempotency-Key required). */
export default defineEventHandler(async (event) => {
  const partner = await partnerRequest(event, 'orders:write')
  const { id } = await getValidatedRouterParams(event, V1OrderParamsSchema.parse)
  const body = await readValidatedBody(event, V1OrderStatusSchema.parse)
  return partnerWrite(event, partner, 'orders.status', { id, ...body }, () => setOrderStatusV1(partner.ctx, partner.caller, id, body.status, body.note))
})
