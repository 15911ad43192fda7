import { listBookingsV1 } from '#server/services/partner-api'
import { V1BookingsQuerySchema } from '#shared/schemas/partner-api'

/** Bookings by time window and status (scope `bookings:read`). */
export default defineEventHandler(async (event) => {
  const { ctx } = await partnerRequest(event, 'bookings:read')
  const query = await getValidatedQuery(event, V1BookingsQuerySchema.parse)
  return listBookingsV1(ctx.db, query)
})
