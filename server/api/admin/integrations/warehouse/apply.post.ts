import { applyStockSync } from '#server/services/integrations/warehouse'

/** Applies the warehouse's stock now, all or nothing (audited); the first import is only ever made here. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return applyStockSync(ctx)
})
