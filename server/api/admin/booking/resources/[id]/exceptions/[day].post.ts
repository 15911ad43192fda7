import { putResourceException } from '#server/services/booking/admin'
import { ResourceExceptionInputSchema, ResourceExceptionParamsSchema } from '#shared/schemas/booking-admin'

/** Owners and admins set one date's hours of a resource (empty: a day off); bookings left outside as for the week; audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const { id, day } = await getValidatedRouterParams(event, ResourceExceptionParamsSchema.parse)
  const input = await readValidatedBody(event, ResourceExceptionInputSchema.parse)
  return putResourceException(ctx, id, day, input)
})
