import { useServices } from '../../utils/runtime'
import { requireTmaUser } from '../../utils/auth'
import { apiError } from '../../utils/errors'
import { createOrder } from '../../services/orders'
import { allowedPaymentMethods } from '../../services/orders/payment-methods'
import { telegramShippingAvailable } from '../../services/orders/shipping'
import { toOrderDto } from '../../services/orders/dto'
import { enqueueOrderNotification } from '../../jobs/notifications'
import { releaseExpiredOrdersJob } from '../../jobs'
import { CheckoutSchema, IdempotencyKeySchema } from '#shared/schemas/orders'

/**
 * Places an order from the server-side cart. Requires `Idempotency-Key`: a retry with the same key
 * answers 200 with the same order instead of creating another (201 the first time).
 */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const key = IdempotencyKeySchema.safeParse(getHeader(event, 'idempotency-key') ?? '')
  if (!key.success) throw apiError('validation_failed', 'Send an Idempotency-Key header (8-100 characters, e.g. a UUID)', [{ path: 'Idempotency-Key', message: key.error.issues[0]!.message }])
  const input = await readValidatedBody(event, CheckoutSchema.parse)
  const services = await useServices()
  const { order, created } = await createOrder(services.db, user.id, input, key.data, {
    allowedPaymentMethods: await allowedPaymentMethods(services),
    telegramShipping: await telegramShippingAvailable(services),
  })
  if (created) {
    await enqueueOrderNotification(services, order.id, order.status)
    if (order.reservedUntil) await services.queue.enqueue(releaseExpiredOrdersJob, { orderId: order.id }, { startAfter: new Date(order.reservedUntil.getTime() + 1000) })
  }
  setResponseStatus(event, created ? 201 : 200)
  return toOrderDto(order)
})
