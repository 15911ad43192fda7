import { catalogFacets } from '#server/services/catalog/products'
import { catalogCheck } from '#server/services/catalog/read-model'
import { sendJson } from '#server/utils/hot-answers'

/**
 * Public: price bounds and tags for the filter sheet. Kept as a hot answer while the catalog
 * snapshot stays current (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const isCurrent = await catalogCheck(services.db)
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  return sendJson(event, await catalogFacets(services.db), isCurrent)
})
