import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { createPickupPoint, toPickupPointDto } from '../../../../services/orders/delivery-admin'
import { recordAudit } from '../../../../services/audit'
import { PickupPointInputSchema } from '#shared/schemas/orders'

export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'settings.write')
  const input = await readValidatedBody(event, PickupPointInputSchema.parse)
  const services = await useServices()
  const row = await services.db.transaction(async (tx) => {
    const created = await createPickupPoint(tx, input)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'pickup_point.create', entityType: 'pickup_point', entityId: created.id, after: toPickupPointDto(created) })
    return created
  })
  setResponseStatus(event, 201)
  return toPickupPointDto(row)
})
