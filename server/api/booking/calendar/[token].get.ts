import { customerBookingIcs, resolveIcsLink } from '#server/services/booking/ical'
import { CalendarTokenParamsSchema } from '#shared/schemas/booking-calendar'

/**
 * One booking as an iCalendar file through its signed link. Telegram downloads by URL without our
 * headers, so the link is the permission (5 minutes); a request that carries initData must be the owner's.
 */
export default defineEventHandler(async (event) => {
  const { token } = await getValidatedRouterParams(event, CalendarTokenParamsSchema.parse)
  const requester = getHeader(event, 'authorization') ? (await requireTmaUser(event)).user.id : null
  const services = await useServices()
  const { booking, lang } = await resolveIcsLink(services.db, token, requester)
  const { body, fileName } = await customerBookingIcs(services.db, booking, lang, services.config.publicUrl)
  setResponseHeader(event, 'Content-Type', 'text/calendar; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="${fileName}"`)
  setResponseHeader(event, 'Cache-Control', 'private, no-store')
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  return body
})
