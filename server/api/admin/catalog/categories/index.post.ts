import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { createCategory } from '../../../../services/catalog/admin'
import { toCategoryDto } from '../../../../services/catalog/dto'
import { recordAudit } from '../../../../services/audit'
import { CategoryInputSchema } from '#shared/schemas/catalog'

export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const input = await readValidatedBody(event, CategoryInputSchema.parse)
  const services = await useServices()
  const row = await services.db.transaction(async (tx) => {
    const created = await createCategory(tx, input)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'category.create', entityType: 'category', entityId: created.id, after: toCategoryDto(created) })
    return created
  })
  setResponseStatus(event, 201)
  return toCategoryDto(row)
})
