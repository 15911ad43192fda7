import { getCart } from '#server/services/cart'

/** The customer's cart with current prices and what changed since each line was added. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  return getCart(services.db, user.id)
})
