import { listPayments } from '#server/services/payments/reports'
import { toPaymentDto } from '#server/services/payments/dto'
import { AdminPaymentsQuerySchema } from '#shared/schemas/payments'

/** Payments with filters (method, status, flagged for refund, order, dates), newest first. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'payments.read')
  const query = await getValidatedQuery(event, AdminPaymentsQuerySchema.parse)
  const services = await useServices()
  const page = await listPayments(services.db, query)
  return { items: page.items.map(toPaymentDto), nextBefore: page.nextBefore }
})
