import { businessOverview } from '#server/services/insights'
import { BusinessOverviewQuerySchema } from '#shared/schemas/insights'

/** The owner's overview per day: Mini App opens -> carts -> orders -> paid, bookings, conversations. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'reports.read')
  const query = await getValidatedQuery(event, BusinessOverviewQuerySchema.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  const services = await useServices()
  return businessOverview(services.db, query)
})
