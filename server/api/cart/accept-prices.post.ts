import { useServices } from '../../utils/runtime'
import { requireTmaUser } from '../../utils/auth'
import { acceptCartPrices } from '../../services/cart'

/** The customer saw the changed prices and goes on with them. */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  return acceptCartPrices(services.db, user.id)
})
