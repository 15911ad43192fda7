import { catalogFacets } from '#server/services/catalog/products'

/** Public: price bounds and tags for the filter sheet. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  return catalogFacets(services.db)
})
