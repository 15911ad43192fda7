import { createWebhookEndpoint } from '#server/services/integrations/webhooks'
import { WebhookInputSchema } from '#shared/schemas/partner-api'

/** Adds an outbound webhook (audited); the answer carries its signing secret, shown this once. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const body = await readValidatedBody(event, WebhookInputSchema.parse)
  setResponseStatus(event, 201)
  return createWebhookEndpoint(ctx, body)
})
