import { rotateWebhookSecret } from '#server/services/integrations/webhooks'
import { WebhookParamsSchema } from '#shared/schemas/partner-api'

/** A new signing secret, shown this once; the old one keeps signing for a day (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, WebhookParamsSchema.parse)
  return rotateWebhookSecret(ctx, id)
})
