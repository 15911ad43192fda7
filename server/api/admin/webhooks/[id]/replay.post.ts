import { replayWebhookDeliveries } from '#server/services/integrations/webhooks'
import { WebhookParamsSchema, WebhookReplaySchema } from '#shared/schemas/partner-api'

/** Sends every dead (and held) delivery of this webhook again (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, WebhookParamsSchema.parse)
  const { status } = await readValidatedBody(event, WebhookReplaySchema.parse)
  setResponseStatus(event, 202)
  return replayWebhookDeliveries(ctx, id, status)
})
