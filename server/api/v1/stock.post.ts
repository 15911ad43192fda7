import { upsertStockV1 } from '#server/services/partner-api'
import { V1StockSchema } from '#shared/schemas/partner-api'

/** Sets stock by SKU, all or nothing (scope `stock:write`, Idempotency-Key required). */
export default defineEventHandler(async (event) => {
  const partner = await partnerRequest(event, 'stock:write')
  const body = await readValidatedBody(event, V1StockSchema.parse)
  return partnerWrite(event, partner, 'stock', body, () => upsertStockV1(partner.ctx, partner.caller, body))
})
