import { getTelegramShippingSetting } from '#server/services/delivery/admin'

/**
 * Delivery switches: whether Telegram collects the address, and whether card payments in Telegram
 * are possible at all here (a provider token, or the sandbox) - without them the switch has no effect.
 */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'settings.write')
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  const cardPayments = services.config.telegram.sandbox || Boolean(services.config.telegram.paymentProviderToken)
  return { telegramShipping: await getTelegramShippingSetting(services.db), cardPayments }
})
