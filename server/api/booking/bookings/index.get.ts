import { listCustomerBookings } from '#server/services/booking'
import { toBookingDto } from '#server/services/booking/dto'

/** The customer's bookings, latest start first (the app splits upcoming and past). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  return (await listCustomerBookings(ctx.db, ctx.actor.userId!)).map((b) => toBookingDto(b))
})
