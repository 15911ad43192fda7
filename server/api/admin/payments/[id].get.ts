import { getPayment } from '#server/services/payments'
import { toPaymentDto } from '#server/services/payments/dto'
import { IdParamsSchema } from '#shared/schemas/catalog'

/** One payment with Telegram's raw payload, its refunds and its order. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'payments.read')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const services = await useServices()
  const payment = await getPayment(services.db, id)
  return { ...toPaymentDto(payment), raw: payment.raw, refunds: payment.refunds, order: payment.order }
})
