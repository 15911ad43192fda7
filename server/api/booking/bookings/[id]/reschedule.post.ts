import { rescheduleBookingAsCustomer } from '#server/services/booking'
import { toBookingDetailDto } from '#server/services/booking/dto'
import { BookingParamsSchema, RescheduleBookingSchema } from '#shared/schemas/booking'

/** The customer moves their booking to another free slot; reminders are re-planned and the chat told. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  const input = await readValidatedBody(event, RescheduleBookingSchema.parse)
  return toBookingDetailDto(await rescheduleBookingAsCustomer(ctx, id, input))
})
