import { createBookingService } from '#server/services/booking/admin'
import { BookingServiceInputSchema } from '#shared/schemas/booking-admin'

/** Owners and admins add a service (duration, price, buffers, seats, reminders, deadline, who performs it); audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const input = await readValidatedBody(event, BookingServiceInputSchema.parse)
  const service = await createBookingService(ctx, input)
  setResponseStatus(event, 201)
  return service
})
