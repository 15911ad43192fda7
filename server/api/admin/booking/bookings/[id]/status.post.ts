import { setBookingStatusAsStaff } from '#server/services/booking'
import { toAdminBookingDto } from '#server/services/booking/dto'
import { AdminBookingStatusSchema, BookingParamsSchema } from '#shared/schemas/booking'

/** Staff mark a booking done or no-show, or cancel it for the customer (audited; the customer told of a cancel). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  const { status, note } = await readValidatedBody(event, AdminBookingStatusSchema.parse)
  return toAdminBookingDto(await setBookingStatusAsStaff(ctx, id, status, note), undefined)
})
