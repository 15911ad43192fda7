import { listWebhookEndpoints } from '#server/services/integrations/webhooks'

/** Outbound webhooks with their deliveries by status (never the secrets). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return { webhooks: await listWebhookEndpoints(ctx.db) }
})
