import { updateWebhookEndpoint } from '#server/services/integrations/webhooks'
import { WebhookParamsSchema, WebhookPatchSchema } from '#shared/schemas/partner-api'

/** Changes a webhook's name, URL, events or pauses it (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, WebhookParamsSchema.parse)
  const body = await readValidatedBody(event, WebhookPatchSchema.parse)
  return updateWebhookEndpoint(ctx, id, body)
})
