import { cancelBookingAsCustomer } from '#server/services/booking'
import { toBookingDetailDto } from '#server/services/booking/dto'
import { BookingParamsSchema } from '#shared/schemas/booking'

/** The customer cancels (or lets go of a hold) until the service's deadline (`canChange` says when). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  return toBookingDetailDto(await cancelBookingAsCustomer(ctx, id))
})
