import { listCategories } from '#server/services/catalog/products'
import { toCategoryDto } from '#server/services/catalog/dto'

/** Public: the category tree as a flat list with parents (the Mini App draws chips from it). */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  return { items: (await listCategories(services.db)).map(toCategoryDto) }
})
