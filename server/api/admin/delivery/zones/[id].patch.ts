import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { toDeliveryZoneDto, updateDeliveryZone } from '../../../../services/orders/delivery-admin'
import { recordAudit } from '../../../../services/audit'
import { IdParamsSchema } from '#shared/schemas/catalog'
import { DeliveryZonePatchSchema } from '#shared/schemas/orders'

/** Edits a zone; `isActive: false` takes it off checkout (zones are never deleted: orders keep theirs). */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'settings.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, DeliveryZonePatchSchema.parse)
  const services = await useServices()
  const after = await services.db.transaction(async (tx) => {
    const change = await updateDeliveryZone(tx, id, patch)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'delivery_zone.update', entityType: 'delivery_zone', entityId: id, before: toDeliveryZoneDto(change.before), after: toDeliveryZoneDto(change.after) })
    return change.after
  })
  return toDeliveryZoneDto(after)
})
