import { bookingReportCsv } from '#server/services/booking/reports'
import { BookingReportQuerySchema } from '#shared/schemas/booking-calendar'

/** The booking report as CSV: one line per resource and day. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'reports.read')
  const query = await getValidatedQuery(event, BookingReportQuerySchema.parse)
  const services = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="bookings-${query.from ?? 'last-30-days'}.csv"`)
  return bookingReportCsv(services.db, query)
})
