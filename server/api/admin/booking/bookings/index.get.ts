import { listBookingResources, listBookingsForAdmin } from '#server/services/booking'
import { toAdminBookingDto } from '#server/services/booking/dto'
import { userNames } from '#server/services/auth/users'
import { AdminBookingsQuerySchema } from '#shared/schemas/booking'

/** Staff: a day (or a few) of bookings for every resource or one, with the resources for the filter. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const query = await getValidatedQuery(event, AdminBookingsQuerySchema.parse)
  const [{ timezone, items }, resources] = await Promise.all([listBookingsForAdmin(ctx.db, query), listBookingResources(ctx.db)])
  const names = await userNames(ctx.db, items.map((b) => b.userId))
  return { timezone, resources: resources.map((r) => ({ id: r.id, name: r.name })), items: items.map((b) => toAdminBookingDto(b, names.get(b.userId))) }
})
