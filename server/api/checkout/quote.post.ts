import { quoteCheckout } from '#server/services/orders'
import { CheckoutQuoteSchema } from '#shared/schemas/orders'

/** What the order costs with this delivery, computed by the server from its own prices. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const input = await readValidatedBody(event, CheckoutQuoteSchema.parse)
  const services = await useServices()
  return quoteCheckout(services.db, user.id, input)
})
