import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { requireIdempotencyKey } from '../../../../utils/idempotency'
import { runIdempotent } from '../../../../services/idempotency'
import { refundPayment } from '../../../../services/payments/refund'
import { toPaymentDto } from '../../../../services/payments/dto'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { RefundSchema } from '#shared/schemas/payments'

/** Refunds a payment (Stars through Telegram; cards recorded with the provider's reference). Audited; idempotent per key (another request with the same key: 422). */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'payments.refund')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, RefundSchema.parse)
  const services = await useServices()
  const { value: result } = await runIdempotent(services.db, { scope: 'payments.refund', key, request: { paymentId: id, ...input } }, () =>
    refundPayment(services, id, { ...input, actorId: actor.user.id, idempotencyKey: key }, auditContext(event, services, actor)),
  )
  setResponseStatus(event, result.repeated ? 200 : 201)
  return { refund: result.refund, payment: { ...toPaymentDto(result.payment), refunds: result.payment.refunds } }
})
