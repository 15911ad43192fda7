import { getOrder } from '#server/services/orders'
import { toOrderDetailDto } from '#server/services/orders/dto'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** One of the customer's orders with lines and the status timeline (404 for anybody else's). */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const services = await useServices()
  return toOrderDetailDto(await getOrder(services.db, id, user.id))
})
