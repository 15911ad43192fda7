import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { createProduct } from '../../../../services/catalog/admin'
import { toProductDto } from '../../../../services/catalog/dto'
import { recordAudit } from '../../../../services/audit'
import { ProductInputSchema } from '#shared/schemas/catalog'

/** Creates a product; audited with the full new row. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const input = await readValidatedBody(event, ProductInputSchema.parse)
  const services = await useServices()
  const product = await services.db.transaction(async (tx) => {
    const row = await createProduct(tx, input)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'product.create', entityType: 'product', entityId: row.id, after: toProductDto(row) })
    return row
  })
  setResponseStatus(event, 201)
  return toProductDto(product)
})
