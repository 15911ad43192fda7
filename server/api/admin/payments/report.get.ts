import { paymentsReport } from '#server/services/payments/reports'
import { PaymentsReportQuerySchema } from '#shared/schemas/payments'

/** Revenue, payments and refunds per day and method, for the charts in /admin. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'reports.read')
  const query = await getValidatedQuery(event, PaymentsReportQuerySchema.parse)
  const services = await useServices()
  return paymentsReport(services.db, query)
})
