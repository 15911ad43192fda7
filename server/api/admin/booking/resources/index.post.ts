import { createBookingResource } from '#server/services/booking/admin'
import { BookingResourceInputSchema } from '#shared/schemas/booking-admin'

/** Owners and admins add a staff member or room with its weekly hours and breaks; audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const input = await readValidatedBody(event, BookingResourceInputSchema.parse)
  const resource = await createBookingResource(ctx, input)
  setResponseStatus(event, 201)
  return resource
})
