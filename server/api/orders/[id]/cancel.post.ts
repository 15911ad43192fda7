import { cancelOrderAsCustomer, getOrder } from '#server/services/orders'
import { toOrderDetailDto } from '#server/services/orders/dto'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** The customer cancels their own order while nobody has started on it (`canCancel` on the order says when). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  await cancelOrderAsCustomer(ctx, id)
  return toOrderDetailDto(await getOrder(ctx.db, id, ctx.actor.userId!))
})
