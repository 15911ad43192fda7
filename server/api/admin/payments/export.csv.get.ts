import { exportPaymentsCsv } from '#server/services/payments/reports'
import { AdminPaymentsQuerySchema } from '#shared/schemas/payments'

/** Payments as CSV with the same filters as the list. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'payments.read')
  const query = await getValidatedQuery(event, AdminPaymentsQuerySchema.parse)
  const services = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/csv; charset=utf-8')
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="payments-${new Date().toISOString().slice(0, 10)}.csv"`)
  return exportPaymentsCsv(services.db, query)
})
