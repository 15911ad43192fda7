import { useServices } from '../../utils/runtime'
import { requireTmaUser } from '../../utils/auth'
import { requireIdempotencyKey } from '../../utils/idempotency'
import { runIdempotent } from '../../services/idempotency'
import { createOrder } from '../../services/orders'
import { allowedPaymentMethods } from '../../services/orders/payment-methods'
import { telegramShippingAvailable } from '../../services/orders/shipping'
import { toOrderDto } from '../../services/orders/dto'
import { enqueueOrderNotification } from '../../jobs/notifications'
import { releaseExpiredOrdersJob } from '../../jobs'
import { CheckoutSchema } from '#shared/schemas/orders'

/**
 * Places an order from the server-side cart. Requires `Idempotency-Key`: a retry with the same key
 * answers 200 with the same order instead of creating another (201 the first time); the same key
 * with a different order answers 422 `idempotency_key_reused`.
 */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, CheckoutSchema.parse)
  const services = await useServices()
  const options = { allowedPaymentMethods: await allowedPaymentMethods(services), telegramShipping: await telegramShippingAvailable(services) }
  const { value: { order, created } } = await runIdempotent(services.db, { scope: `orders.create:user:${user.id}`, key, request: input }, () => createOrder(services.db, user.id, input, key, options))
  if (created) {
    await enqueueOrderNotification(services, order.id, order.status)
    if (order.reservedUntil) await services.queue.enqueue(releaseExpiredOrdersJob, { orderId: order.id }, { startAfter: new Date(order.reservedUntil.getTime() + 1000) })
  }
  setResponseStatus(event, created ? 201 : 200)
  return toOrderDto(order)
})
