import { listWaitlist } from '#server/services/booking/waitlist'
import { toWaitlistDto } from '#server/services/booking/dto'

/** The customer's waitlist entries (waiting, offered and the settled ones), newest first. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  return (await listWaitlist(ctx.db, ctx.actor.userId!)).map(toWaitlistDto)
})
