import { previewStockSync } from '#server/services/integrations/warehouse'

/** Reads the warehouse's stock and shows what an import would change (our open orders subtracted); changes nothing. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return previewStockSync(ctx)
})
