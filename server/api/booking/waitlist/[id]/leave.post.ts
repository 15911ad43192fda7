import { leaveWaitlist } from '#server/services/booking/waitlist'
import { WaitlistParamsSchema } from '#shared/schemas/booking'

/** The customer leaves a waitlist they are waiting in (leaving twice answers the same). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, WaitlistParamsSchema.parse)
  const entry = await leaveWaitlist(ctx, id)
  return { id: entry.id, status: entry.status }
})
