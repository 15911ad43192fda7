import { listBookingResources, listBookingsForAdmin } from '#server/services/booking'
import { calendarHours, listServicesForAdmin } from '#server/services/booking/admin'
import { toAdminBookingDto } from '#server/services/booking/dto'
import { userNames } from '#server/services/auth/users'
import { AdminBookingsQuerySchema } from '#shared/schemas/booking'

/**
 * Staff: a day (or up to 7) of bookings for every resource or one, with the resources, their
 * working windows per day (minutes after midnight in the business's zone, for the calendar) and
 * the active services (for booking on a customer's behalf).
 */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const query = await getValidatedQuery(event, AdminBookingsQuerySchema.parse)
  const [{ timezone, items }, resources, services] = await Promise.all([listBookingsForAdmin(ctx.db, query), listBookingResources(ctx.db), listServicesForAdmin(ctx.db)])
  const [names, hours] = await Promise.all([userNames(ctx.db, items.map((b) => b.userId)), calendarHours(ctx.db, resources, query.date, query.days, timezone)])
  return {
    timezone,
    resources: resources.map((r) => ({ id: r.id, name: r.name })),
    hours,
    services: services.filter((s) => s.isActive).map((s) => ({ id: s.id, slug: s.slug, name: s.name, durationMinutes: s.durationMinutes, slotStepMinutes: s.slotStepMinutes, capacity: s.capacity, resourceIds: s.resourceIds })),
    items: items.map((b) => toAdminBookingDto(b, names.get(b.userId))),
  }
})
