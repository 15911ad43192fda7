import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { updateProduct } from '../../../../services/catalog/admin'
import { toProductDto } from '../../../../services/catalog/dto'
import { recordAudit } from '../../../../services/audit'
import { IdParamsSchema, ProductPatchSchema } from '#shared/schemas/catalog'

/** Edits a product (price, texts, options, hide/show); audited with before and after. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, ProductPatchSchema.parse)
  const services = await useServices()
  const after = await services.db.transaction(async (tx) => {
    const change = await updateProduct(tx, id, patch)
    const action = patch.priceMinor !== undefined && patch.priceMinor !== change.before.priceMinor ? 'product.price' : 'product.update'
    await recordAudit(tx, { ...auditContext(event, services, actor), action, entityType: 'product', entityId: id, before: toProductDto(change.before), after: toProductDto(change.after) })
    return change.after
  })
  return toProductDto(after)
})
