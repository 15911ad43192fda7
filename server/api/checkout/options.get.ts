import { useServices } from '../../utils/runtime'
import { requireTmaUser } from '../../utils/auth'
import { listDeliveryOptions, listSavedAddresses } from '../../services/orders'
import { allowedPaymentMethods } from '../../services/orders/payment-methods'
import { telegramShippingAvailable } from '../../services/orders/shipping'

/**
 * Everything the checkout screen offers: pickup points, courier zones, saved addresses, payment
 * methods, and whether a courier to an address typed in Telegram's payment form is on offer.
 */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  const [delivery, addresses] = await Promise.all([listDeliveryOptions(services.db), listSavedAddresses(services.db, user.id)])
  return { ...delivery, addresses: addresses.map((a) => ({ id: a.id, label: a.label, address: a.address })), paymentMethods: await allowedPaymentMethods(services), telegramShipping: await telegramShippingAvailable(services) }
})
