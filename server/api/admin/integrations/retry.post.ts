import { retryDeliveries } from '#server/services/integrations/admin'
import { BulkRetrySchema } from '#shared/schemas/integrations'

/** Replays every held (or dead) delivery of one connector, once its partner is fixed or back (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { connector, status } = await readValidatedBody(event, BulkRetrySchema.parse)
  setResponseStatus(event, 202)
  return retryDeliveries(ctx, connector, status)
})
