import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { toPickupPointDto, updatePickupPoint } from '../../../../services/orders/delivery-admin'
import { recordAudit } from '../../../../services/audit'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { PickupPointPatchSchema } from '#shared/schemas/orders'

/** Edits a pickup point; `isActive: false` takes it off checkout. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'settings.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, PickupPointPatchSchema.parse)
  const services = await useServices()
  const after = await services.db.transaction(async (tx) => {
    const change = await updatePickupPoint(tx, id, patch)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'pickup_point.update', entityType: 'pickup_point', entityId: id, before: toPickupPointDto(change.before), after: toPickupPointDto(change.after) })
    return change.after
  })
  return toPickupPointDto(after)
})
