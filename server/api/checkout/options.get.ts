import { listDeliveryOptions } from '#server/services/delivery'
import { telegramShippingAvailable } from '#server/services/delivery/shipping'
import { listSavedAddresses } from '#server/services/account/addresses'
import { allowedPaymentMethods } from '#server/services/orders/payment-methods'

/**
 * Everything the checkout screen offers: pickup points, courier zones, saved addresses, payment
 * methods, and whether a courier to an address typed in Telegram's payment form is on offer.
 */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const services = await useServices()
  const [delivery, addresses, paymentMethods, telegramShipping] = await Promise.all([listDeliveryOptions(services.db), listSavedAddresses(services.db, user.id), allowedPaymentMethods(services), telegramShippingAvailable(services)])
  return { ...delivery, addresses: addresses.map((a) => ({ id: a.id, label: a.label, address: a.address })), paymentMethods, telegramShipping }
})
