import { adjustStock } from '#server/services/catalog/admin'
import { IdParamsSchema, StockAdjustmentSchema } from '#shared/schemas/catalog'

/** Adds or removes stock with a reason (delivery, write-off, recount); audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const { delta, reason } = await readValidatedBody(event, StockAdjustmentSchema.parse)
  const stock = await adjustStock(ctx, id, delta, reason)
  return { stock: stock.after }
})
