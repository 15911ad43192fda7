import { listOrdersForAdmin } from '#server/services/orders'
import { toOrderDto } from '#server/services/orders/dto'
import { AdminOrdersQuerySchema } from '#shared/schemas/orders'

/** Orders for operators: filters by status and dates, search by number, phone or name. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'orders.read')
  const query = await getValidatedQuery(event, AdminOrdersQuerySchema.parse)
  const services = await useServices()
  const page = await listOrdersForAdmin(services.db, query)
  return { items: page.items.map(toOrderDto), nextBefore: page.nextBefore }
})
