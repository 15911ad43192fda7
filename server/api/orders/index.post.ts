import { createOrder } from '#server/services/orders'
import { toOrderDto } from '#server/services/orders/dto'
import { CheckoutSchema, IdempotencyKeySchema } from '#shared/schemas/orders'

/**
 * Places an order from the server-side cart. Requires `Idempotency-Key`: a retry with the same key
 * answers 200 with the same order instead of creating another (201 the first time).
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const key = IdempotencyKeySchema.safeParse(getHeader(event, 'idempotency-key') ?? '')
  if (!key.success) throw apiError('validation_failed', 'Send an Idempotency-Key header (8-100 characters, e.g. a UUID)', [{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }])
  const input = await readValidatedBody(event, CheckoutSchema.parse)
  const { order, created } = await createOrder(ctx, input, key.data)
  setResponseStatus(event, created ? 201 : 200)
  return toOrderDto(order)
})
