import { confirmBooking } from '#server/services/booking'
import { toBookingDetailDto } from '#server/services/booking/dto'
import { BookingParamsSchema } from '#shared/schemas/booking'

/** The customer confirms their hold: booked, told in the chat, reminders planned. Repeating it changes nothing. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  return toBookingDetailDto(await confirmBooking(ctx, id))
})
