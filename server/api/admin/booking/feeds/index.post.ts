import { createCalendarFeed } from '#server/services/booking/ical'
import { CreateFeedSchema } from '#shared/schemas/booking-calendar'

/** A new secret calendar URL for a resource (its current one stops working); the URL is shown only now. Audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.feeds')
  const input = await readValidatedBody(event, CreateFeedSchema.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  setResponseStatus(event, 201)
  return createCalendarFeed(ctx, input)
})
