import { listBookingResources } from '#server/services/booking'
import { listCalendarFeeds } from '#server/services/booking/ical'

/** Staff calendar feeds (never their secret URLs) and the resources one can be made for. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'bookings.feeds')
  const services = await useServices()
  const [items, resources] = await Promise.all([listCalendarFeeds(services.db), listBookingResources(services.db)])
  return { items, resources: resources.map((r) => ({ id: r.id, slug: r.slug, name: r.name, timezone: r.timezone })) }
})
