import { listCategories } from '#server/services/catalog/products'
import { toCategoryDto } from '#server/services/catalog/dto'
import { catalogCheck } from '#server/services/catalog/read-model'
import { sendJson } from '#server/utils/hot-answers'

/**
 * Public: the category tree as a flat list with parents (the Mini App draws chips from it). Kept as
 * a hot answer while the catalog snapshot stays current (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const isCurrent = await catalogCheck(services.db)
  setResponseHeader(event, 'Cache-Control', 'public, max-age=60')
  return sendJson(event, { items: (await listCategories(services.db)).map(toCategoryDto) }, isCurrent)
})
