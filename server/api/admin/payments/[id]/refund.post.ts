import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { apiError } from '../../../../utils/errors'
import { refundPayment } from '../../../../services/payments/refund'
import { toPaymentDto } from '../../../../services/payments/dto'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { IdempotencyKeySchema } from '#shared/schemas/orders'
import { RefundSchema } from '#shared/schemas/payments'

/** Refunds a payment (Stars through Telegram; cards recorded with the provider's reference). Audited; idempotent per key. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'payments.refund')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const key = IdempotencyKeySchema.safeParse(getHeader(event, 'idempotency-key') ?? '')
  if (!key.success) throw apiError('validation_failed', 'Send an Idempotency-Key header (8-100 characters, e.g. a UUID)', [{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }])
  const input = await readValidatedBody(event, RefundSchema.parse)
  const services = await useServices()
  const result = await refundPayment(services, id, { ...input, actorId: actor.user.id, idempotencyKey: key.data }, auditContext(event, services, actor))
  setResponseStatus(event, result.repeated ? 200 : 201)
  return { refund: result.refund, payment: { ...toPaymentDto(result.payment), refunds: result.payment.refunds } }
})
