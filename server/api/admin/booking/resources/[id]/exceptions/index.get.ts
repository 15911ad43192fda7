import { listResourceExceptions } from '#server/services/booking/admin'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { ResourceExceptionsQuerySchema } from '#shared/schemas/booking-admin'

/** Staff: a resource's dated exceptions (holidays, sick days, other hours) from a date on. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const { from } = await getValidatedQuery(event, ResourceExceptionsQuerySchema.parse)
  return { items: await listResourceExceptions(ctx.db, id, from) }
})
