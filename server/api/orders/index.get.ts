import { listCustomerOrders } from '#server/services/orders'
import { toOrderDto } from '#server/services/orders/dto'

/** The customer's own orders, newest first. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  return { items: (await listCustomerOrders(services.db, user.id)).map(toOrderDto) }
})
