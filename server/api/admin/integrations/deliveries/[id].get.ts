import { getDelivery } from '#server/services/integrations/admin'
import { DeliveryParamsSchema } from '#shared/schemas/integrations'

/** One delivery with the event it carries, its attempts, the partner's answer and the contract issues. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, DeliveryParamsSchema.parse)
  return getDelivery(ctx.db, id)
})
