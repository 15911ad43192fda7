import { createIcsLink } from '#server/services/booking/ical'
import { BookingParamsSchema } from '#shared/schemas/booking'
import { CalendarLinkQuerySchema } from '#shared/schemas/booking-calendar'

/** A 5-minute signed link to the booking as an .ics file, for Telegram's file download (which sends no initData). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, BookingParamsSchema.parse)
  const { lang } = await getValidatedQuery(event, CalendarLinkQuerySchema.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return createIcsLink(ctx, id, lang)
})
