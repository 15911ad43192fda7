import { updateBookingService } from '#server/services/booking/admin'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { BookingServicePatchSchema } from '#shared/schemas/booking-admin'

/** Owners and admins edit a service or hide it (`isActive: false`); bookings made keep their time; audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, BookingServicePatchSchema.parse)
  return updateBookingService(ctx, id, patch)
})
