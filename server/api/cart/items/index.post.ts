import { addToCart } from '#server/services/cart'
import { AddToCartSchema } from '#shared/schemas/orders'

/** Adds a product (with options) to the cart; the answer is the whole cart, priced by the server. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const input = await readValidatedBody(event, AddToCartSchema.parse)
  const services = await useServices()
  return addToCart(services.db, user.id, input)
})
