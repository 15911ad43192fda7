import { createHash } from 'node:crypto'
import { findLiveFeed, resourceFeedIcs, touchFeed } from '#server/services/booking/ical'
import { FeedTokenParamsSchema } from '#shared/schemas/booking-calendar'
import { DomainError } from '#server/utils/errors'

/**
 * A specialist's (or room's) bookings as a subscribed calendar: `/api/booking/feeds/<token>.ics`.
 * The secret URL is the permission. Unknown, malformed and revoked tokens answer the same 404.
 * Calendars poll: an unchanged feed answers 304 to its ETag, and a short private cache is allowed.
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  await enforceRateLimit(event, services, [{ key: `calendar-feed:ip:${clientIp(event, services)}`, ...RATE_LIMITS.calendarFeedPerIp }])
  const { token } = await getValidatedRouterParams(event, FeedTokenParamsSchema.parse)
  const feed = await findLiveFeed(services.db, token.replace(/\.ics$/, ''))
  const calendar = feed ? await resourceFeedIcs(services.db, feed, services.config.publicUrl) : null
  if (!feed || !calendar) {
    setResponseHeader(event, 'Cache-Control', 'no-store')
    throw new DomainError('not_found', 'No such calendar')
  }
  await touchFeed(services.db, feed.id)
  const etag = `"${createHash('sha256').update(calendar.body).digest('base64url').slice(0, 32)}"`
  setResponseHeader(event, 'ETag', etag)
  setResponseHeader(event, 'Cache-Control', 'private, max-age=300')
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  if (getHeader(event, 'if-none-match')?.split(/\s*,\s*/).includes(etag)) {
    setResponseStatus(event, 304)
    return null
  }
  setResponseHeader(event, 'Content-Type', 'text/calendar; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', 'inline; filename="bookings.ics"')
  return calendar.body
})
