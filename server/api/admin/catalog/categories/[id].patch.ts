import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { updateCategory } from '../../../../services/catalog/admin'
import { toCategoryDto } from '../../../../services/catalog/dto'
import { recordAudit } from '../../../../services/audit'
import { CategoryPatchSchema, IdParamsSchema } from '#shared/schemas/catalog'

export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, CategoryPatchSchema.parse)
  const services = await useServices()
  const after = await services.db.transaction(async (tx) => {
    const change = await updateCategory(tx, id, patch)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'category.update', entityType: 'category', entityId: id, before: toCategoryDto(change.before), after: toCategoryDto(change.after) })
    return change.after
  })
  return toCategoryDto(after)
})
