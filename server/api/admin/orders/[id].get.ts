import { useServices } from '../../../utils/runtime'
import { requireRole } from '../../../utils/auth'
import { staffTransitions, getOrder } from '../../../services/orders'
import { toOrderDetailDto } from '../../../services/orders/dto'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** One order with lines, timeline, the customer's contact and the statuses it may move to next. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'orders.read')
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const services = await useServices()
  const order = await getOrder(services.db, id)
  return { ...toOrderDetailDto(order), customerTelegramId: order.userId, allowedStatuses: staffTransitions(order) }
})
