import { refundPayment } from '#server/services/payments/refunds'
import { toPaymentDto } from '#server/services/payments/dto'
import { runIdempotent } from '#server/services/idempotency'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { RefundSchema } from '#shared/schemas/payments'

/** Refunds a payment (Stars through Telegram; cards recorded with the provider's reference). Audited; idempotent per key (another request with the same key: 422). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'payments.refund')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, RefundSchema.parse)
  const { value: result } = await runIdempotent(ctx.db, { scope: 'payments.refund', key, request: { paymentId: id, ...input } }, () => refundPayment(ctx, id, { ...input, idempotencyKey: key }))
  setResponseStatus(event, result.repeated ? 200 : 201)
  return { refund: result.refund, payment: { ...toPaymentDto(result.payment), refunds: result.payment.refunds } }
})
