import { useServices } from '../../../utils/runtime'
import { requireTmaUser } from '../../../utils/auth'
import { buildInvoice } from '../../../services/payments'
import { OrderParamsSchema } from '#shared/schemas/orders'

/** Sandbox stand-in for a provider token: the fake Bot API plays the payment provider. */
const SANDBOX_PROVIDER_TOKEN = '1877036958:TEST:sandbox'

/**
 * A Telegram invoice link for the customer's order awaiting payment, priced from the order.
 * The Mini App opens it with `invoice.openUrl(link)`; the bot confirms through pre_checkout_query.
 */
export default defineEventHandler(async (event) => {
  const { user } = await requireTmaUser(event)
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const services = await useServices()
  const providerToken = services.config.telegram.paymentProviderToken ?? (services.config.telegram.sandbox ? SANDBOX_PROVIDER_TOKEN : '')
  const { order, invoice } = await buildInvoice(services.db, id, user.id, { providerToken, lang: user.locale })
  const link = await services.bot.telegram.createInvoiceLink(invoice)
  return { link, orderId: order.id, totalMinor: order.totalMinor, currency: order.currency, payBefore: order.reservedUntil }
})
