import { createOrder } from '#server/services/orders'
import { toOrderDto } from '#server/services/orders/dto'
import { runIdempotent } from '#server/services/idempotency'
import { CheckoutSchema } from '#shared/schemas/orders'

/**
 * Places an order from the server-side cart. Requires `Idempotency-Key`: a retry with the same key
 * answers 200 with the same order instead of creating another (201 the first time); the same key
 * with a different order answers 422 `idempotency_key_reused`.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, CheckoutSchema.parse)
  const { value: { order, created } } = await runIdempotent(ctx.db, { scope: `orders.create:user:${ctx.actor.userId}`, key, request: input }, () => createOrder(ctx, input, key))
  setResponseStatus(event, created ? 201 : 200)
  return toOrderDto(order)
})
