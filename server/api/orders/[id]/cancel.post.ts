import { useServices } from '../../../utils/runtime'
import { requireTmaUser } from '../../../utils/auth'
import { DomainError } from '../../../utils/errors'
import { getOrder, transitionOrder } from '../../../services/orders'
import { toOrderDetailDto } from '../../../services/orders/dto'
import { enqueueOrderNotification } from '../../../jobs/notifications'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** The customer cancels their own order while nobody has started on it. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const services = await useServices()
  await services.db.transaction(async (tx) => {
    const order = await getOrder(tx, id, user.id)
    if (order.status !== 'new' && order.status !== 'awaiting_payment') throw new DomainError('invalid_transition', 'This order is already being prepared; contact support to cancel it', 409)
    await transitionOrder(tx, id, 'cancelled', { kind: 'customer', id: user.id }, 'Cancelled by the customer')
  })
  await enqueueOrderNotification(services, id, 'cancelled')
  return toOrderDetailDto(await getOrder(services.db, id, user.id))
})
