import { getBooking } from '#server/services/booking'
import { toBookingDetailDto } from '#server/services/booking/dto'
import { BookingParamsSchema } from '#shared/schemas/booking'

/** One of the customer's bookings with its history. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  return toBookingDetailDto(await getBooking(ctx.db, id, ctx.actor.userId!))
})
