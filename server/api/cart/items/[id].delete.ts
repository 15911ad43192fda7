import { removeCartLine } from '#server/services/cart'
import { CartLineParamsSchema } from '#shared/schemas/orders'

export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const { id } = await getValidatedRouterParams(event, CartLineParamsSchema.parse)
  const services = await useServices()
  return removeCartLine(services.db, user.id, id)
})
