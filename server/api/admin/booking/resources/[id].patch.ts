import { updateBookingResource } from '#server/services/booking/admin'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { BookingResourcePatchSchema } from '#shared/schemas/booking-admin'

/**
 * Owners and admins edit a resource's week, breaks, zone or services. Confirmed bookings the new
 * hours leave out answer 409 `schedule_conflict` (listed in `details.bookings`) unless
 * `onConflict` is `keep` or `cancel` (customers told); audited.
 */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, BookingResourcePatchSchema.parse)
  return updateBookingResource(ctx, id, patch)
})
