import { toDeliveryZoneDto, updateDeliveryZone } from '#server/services/delivery/admin'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { DeliveryZonePatchSchema } from '#shared/schemas/orders'

/** Edits a courier zone, or takes it off checkout (`isActive: false`); audited with before and after. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, DeliveryZonePatchSchema.parse)
  return toDeliveryZoneDto((await updateDeliveryZone(ctx, id, patch)).after)
})
