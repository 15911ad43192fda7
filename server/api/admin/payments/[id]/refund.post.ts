import { refundPayment } from '#server/services/payments/refunds'
import { toPaymentDto } from '#server/services/payments/dto'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { IdempotencyKeySchema } from '#shared/schemas/orders'
import { RefundSchema } from '#shared/schemas/payments'

/** Refunds a payment (Stars through Telegram; cards recorded with the provider's reference). Audited; idempotent per key. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'payments.refund')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const key = IdempotencyKeySchema.safeParse(getHeader(event, 'idempotency-key') ?? '')
  if (!key.success) throw apiError('validation_failed', 'Send an Idempotency-Key header (8-100 characters, e.g. a UUID)', [{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }])
  const input = await readValidatedBody(event, RefundSchema.parse)
  const result = await refundPayment(ctx, id, { ...input, idempotencyKey: key.data })
  setResponseStatus(event, result.repeated ? 200 : 201)
  return { refund: result.refund, payment: { ...toPaymentDto(result.payment), refunds: result.payment.refunds } }
})
