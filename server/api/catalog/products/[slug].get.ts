import { getProductBySlug } from '#server/services/catalog/products'
import { toProductDto } from '#server/services/catalog/dto'
import { ProductSlugParamsSchema } from '#shared/schemas/catalog'

/** Public: one active product with its options and gallery. */
export default defineEventHandler(async (event) => {
  const { slug } = await getValidatedRouterParams(event, ProductSlugParamsSchema.parse)
  const services = await useServices()
  return toProductDto(await getProductBySlug(services.db, slug))
})
