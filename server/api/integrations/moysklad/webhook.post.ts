import { checkWarehouseWebhookSecret, receiveWarehouseWebhook } from '#server/services/integrations/warehouse'
import { PartnerWebhookQuerySchema } from '#shared/schemas/integrations'

/**
 * MoySklad -> us: a product or its stock changed. Checked by the secret in the URL we gave
 * MoySklad, stored before the answer, and the stock pulled by a queued job; a payload outside the
 * contract is quarantined (still 202: MoySklad would only send it again).
 */
export default defineEventHandler(async (event) => {
  const ctx = await systemEventContext(event, 'integrations.moysklad-webhook')
  const { secret } = await getValidatedQuery(event, PartnerWebhookQuerySchema.parse)
  checkWarehouseWebhookSecret(ctx, secret)
  const body: unknown = await readBody(event)
  setResponseStatus(event, 202)
  return receiveWarehouseWebhook(ctx, body)
})
