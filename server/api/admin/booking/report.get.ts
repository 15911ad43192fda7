import { bookingReport } from '#server/services/booking/reports'
import { BookingReportQuerySchema } from '#shared/schemas/booking-calendar'

/** Bookings, no-shows, cancellations and utilisation per resource and day, for the charts in /admin. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'reports.read')
  const query = await getValidatedQuery(event, BookingReportQuerySchema.parse)
  const services = await useServices()
  return bookingReport(services.db, query)
})
