import { acceptCartPrices } from '#server/services/cart'

/** The customer saw the changed prices and goes on with them. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  return acceptCartPrices(services.db, user.id)
})
