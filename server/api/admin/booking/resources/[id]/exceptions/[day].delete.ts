import { deleteResourceException } from '#server/services/booking/admin'
import { ResourceExceptionDeleteQuerySchema, ResourceExceptionParamsSchema } from '#shared/schemas/booking-admin'

/** Owners and admins remove a date's exception (the week applies again); bookings left outside as for the week; audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.setup')
  const { id, day } = await getValidatedRouterParams(event, ResourceExceptionParamsSchema.parse)
  const { onConflict } = await getValidatedQuery(event, ResourceExceptionDeleteQuerySchema.parse)
  return deleteResourceException(ctx, id, day, onConflict)
})
