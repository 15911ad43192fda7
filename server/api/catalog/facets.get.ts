import { catalogFacets } from '#server/services/catalog/products'
import { catalogCheck } from '#server/services/catalog/read-model'
import { keepHotAnswer } from '#server/utils/hot-answers'

/**
 * Public: price bounds and tags for the filter sheet. Kept as a hot answer while the catalog
 * snapshot stays current (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const isCurrent = await catalogCheck(services.db)
  const facets = await catalogFacets(services.db)
  const json = Buffer.from(JSON.stringify(facets))
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  setResponseHeader(event, 'content-type', 'application/json')
  if (isCurrent) keepHotAnswer(event, json, isCurrent)
  return json as unknown as typeof facets
})
