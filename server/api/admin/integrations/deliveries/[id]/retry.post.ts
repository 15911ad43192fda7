import { retryDelivery } from '#server/services/integrations/admin'
import { DeliveryParamsSchema } from '#shared/schemas/integrations'

/** Sends a held or dead delivery again (audited); a delivered one is never sent twice (409). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, DeliveryParamsSchema.parse)
  setResponseStatus(event, 202)
  return retryDelivery(ctx, id)
})
