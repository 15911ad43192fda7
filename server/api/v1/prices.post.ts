import { upsertPricesV1 } from '#server/services/partner-api'
import { V1PricesSchema } from '#shared/schemas/partner-api'

/** Sets prices by SKU, all or nothing (scope `catalog:write`, Idempotency-Key required). */
export default defineEventHandler(async (event) => {
  const partner = await partnerRequest(event, 'catalog:write')
  const body = await readValidatedBody(event, V1PricesSchema.parse)
  return partnerWrite(event, partner, 'prices', body, () => upsertPricesV1(partner.ctx, partner.caller, body))
})
