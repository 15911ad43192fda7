import { getOrder } from '#server/services/orders'
import { toAdminOrderDto } from '#server/services/orders/dto'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** One order with lines, timeline, the customer's contact and the statuses it may move to next. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'orders.read')
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const services = await useServices()
  return toAdminOrderDto(await getOrder(services.db, id))
})
