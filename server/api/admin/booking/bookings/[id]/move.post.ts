import { moveBookingAsStaff } from '#server/services/booking'
import { toAdminBookingDto } from '#server/services/booking/dto'
import { BookingParamsSchema, RescheduleBookingSchema } from '#shared/schemas/booking'

/** Staff move a booking to another free slot for the customer (audited; reminders re-planned, the customer told). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  const input = await readValidatedBody(event, RescheduleBookingSchema.parse)
  return toAdminBookingDto(await moveBookingAsStaff(ctx, id, input), undefined)
})
