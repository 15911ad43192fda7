import { joinWaitlist, listWaitlist } from '#server/services/booking/waitlist'
import { toWaitlistDto } from '#server/services/booking/dto'
import { JoinWaitlistSchema } from '#shared/schemas/booking'

/**
 * "Tell me when free": the customer joins the line for a full slot (`startsAt`) or any time of a
 * full day (`day`). 201 when added, 200 when they were in line already; 409 `slot_available` when
 * a seat is free now.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const input = await readValidatedBody(event, JoinWaitlistSchema.parse)
  const { entry, created } = await joinWaitlist(ctx, input)
  setResponseStatus(event, created ? 201 : 200)
  const listed = (await listWaitlist(ctx.db, ctx.actor.userId!)).find((e) => e.id === entry.id)!
  return toWaitlistDto(listed)
})
