import { getBooking, holdSlot } from '#server/services/booking'
import { toBookingDetailDto } from '#server/services/booking/dto'
import { runIdempotent } from '#server/services/idempotency'
import { HoldBookingSchema } from '#shared/schemas/booking'

/**
 * Holds a free slot for the customer while they confirm (201). Requires `Idempotency-Key`: a
 * retry answers 200 with the same hold. A slot taken meanwhile answers 409 `slot_taken` with
 * fresh alternatives in `details.alternatives`.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, HoldBookingSchema.parse)
  const { value: { booking, created } } = await runIdempotent(ctx.db, { scope: `booking.hold:user:${ctx.actor.userId}`, key, request: input }, () => holdSlot(ctx, input, key))
  setResponseStatus(event, created ? 201 : 200)
  return toBookingDetailDto(await getBooking(ctx.db, booking.id, ctx.actor.userId!))
})
