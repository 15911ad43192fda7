import { listDeliveries } from '#server/services/integrations/admin'
import { DeliveriesQuerySchema } from '#shared/schemas/integrations'

/** The delivery log: newest first, by connector and status, with attempts and the partner's last answer. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const query = await getValidatedQuery(event, DeliveriesQuerySchema.parse)
  return listDeliveries(ctx.db, query)
})
