import { deleteWebhookEndpoint } from '#server/services/integrations/webhooks'
import { WebhookParamsSchema } from '#shared/schemas/partner-api'

/** Removes a webhook and its deliveries (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, WebhookParamsSchema.parse)
  return deleteWebhookEndpoint(ctx, id)
})
