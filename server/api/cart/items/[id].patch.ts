import { setCartLineQuantity } from '#server/services/cart'
import { CartLineParamsSchema, CartLineUpdateSchema } from '#shared/schemas/orders'

/** Changes a line's quantity (0 removes it). */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const { id } = await getValidatedRouterParams(event, CartLineParamsSchema.parse)
  const { quantity } = await readValidatedBody(event, CartLineUpdateSchema.parse)
  const services = await useServices()
  return setCartLineQuantity(services.db, user.id, id, quantity)
})
