import { getProductBySlug } from '#server/services/catalog/products'
import { toProductDto } from '#server/services/catalog/dto'
import { catalogCheck } from '#server/services/catalog/read-model'
import { sendJson } from '#server/utils/hot-answers'
import { ProductSlugParamsSchema } from '#shared/schemas/catalog'

/**
 * Public: one active product with its options and gallery. The answer depends on the URL alone:
 * while the catalog snapshot stays current the server's entry answers it again without h3
 * (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const { slug } = await getValidatedRouterParams(event, ProductSlugParamsSchema.parse)
  const services = await useServices()
  const isCurrent = await catalogCheck(services.db)
  return sendJson(event, toProductDto(await getProductBySlug(services.db, slug)), isCurrent)
})
