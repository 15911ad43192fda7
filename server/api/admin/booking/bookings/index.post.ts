import { getBooking } from '#server/services/booking'
import { createBookingAsStaff } from '#server/services/booking/admin'
import { toAdminBookingDto } from '#server/services/booking/dto'
import { runIdempotent } from '#server/services/idempotency'
import { StaffBookingInputSchema } from '#shared/schemas/booking-admin'

/**
 * Staff book a free slot for a customer (confirmed at once; the confirmation and reminders go to
 * the customer's chat; audited). Requires `Idempotency-Key`; a taken slot is 409 `slot_taken`.
 */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, StaffBookingInputSchema.parse)
  const { value: booking } = await runIdempotent(ctx.db, { scope: `booking.staff-create:${ctx.actor.userId}`, key, request: input }, () => createBookingAsStaff(ctx, input, key))
  setResponseStatus(event, 201)
  return toAdminBookingDto(await getBooking(ctx.db, booking.id), undefined)
})
