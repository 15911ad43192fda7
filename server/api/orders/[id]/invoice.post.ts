import { createInvoiceLink } from '#server/services/payments/invoice'
import { OrderParamsSchema } from '#shared/schemas/orders'

/**
 * A Telegram invoice link for the customer's order awaiting payment, priced from the order.
 * The Mini App opens it with `invoice.openUrl(link)`; the bot confirms through pre_checkout_query.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, OrderParamsSchema.parse)
  const { link, order } = await createInvoiceLink(ctx, id)
  return { link, orderId: order.id, totalMinor: order.totalMinor, currency: order.currency, payBefore: order.reservedUntil }
})
