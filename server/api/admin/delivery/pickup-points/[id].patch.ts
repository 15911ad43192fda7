import { toPickupPointDto, updatePickupPoint } from '#server/services/delivery/admin'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { PickupPointPatchSchema } from '#shared/schemas/orders'

/** Edits a pickup point, or takes it off checkout (`isActive: false`); audited with before and after. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, PickupPointPatchSchema.parse)
  return toPickupPointDto((await updatePickupPoint(ctx, id, patch)).after)
})
