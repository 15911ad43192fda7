import { revokeCalendarFeed } from '#server/services/booking/ical'
import { FeedParamsSchema } from '#shared/schemas/booking-calendar'

/** Revoke a calendar feed: its URL answers 404 from now on. Audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.feeds')
  const { id } = await getValidatedRouterParams(event, FeedParamsSchema.parse)
  return revokeCalendarFeed(ctx, id)
})
