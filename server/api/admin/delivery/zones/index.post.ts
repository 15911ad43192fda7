import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { createDeliveryZone, toDeliveryZoneDto } from '../../../../services/orders/delivery-admin'
import { recordAudit } from '../../../../services/audit'
import { DeliveryZoneInputSchema } from '#shared/schemas/orders'

export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'settings.write')
  const input = await readValidatedBody(event, DeliveryZoneInputSchema.parse)
  const services = await useServices()
  const row = await services.db.transaction(async (tx) => {
    const created = await createDeliveryZone(tx, input)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'delivery_zone.create', entityType: 'delivery_zone', entityId: created.id, after: toDeliveryZoneDto(created) })
    return created
  })
  setResponseStatus(event, 201)
  return toDeliveryZoneDto(row)
})
