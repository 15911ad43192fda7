import { useServices } from '../../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../../utils/auth'
import { adjustStock } from '../../../../../services/catalog/admin'
import { recordAudit } from '../../../../../services/audit'
import { IdParamsSchema, StockAdjustmentSchema } from '#shared/schemas/catalog'

/** Adds or removes stock with a reason (delivery, write-off, recount); audited. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const { delta, reason } = await readValidatedBody(event, StockAdjustmentSchema.parse)
  const services = await useServices()
  return services.db.transaction(async (tx) => {
    const stock = await adjustStock(tx, id, delta)
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'product.stock', entityType: 'product', entityId: id, before: { stock: stock.before }, after: { stock: stock.after, delta, reason } })
    return { stock: stock.after }
  })
})
