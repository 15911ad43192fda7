import { listProducts } from '#server/services/catalog/products'
import { toProductDto } from '#server/services/catalog/dto'
import { ProductListQuerySchema } from '#shared/schemas/catalog'

/** Public: one page of products with filters, search and a cursor for the next page. */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, ProductListQuerySchema.parse)
  const services = await useServices()
  const page = await listProducts(services.db, query)
  return { items: page.items.map(toProductDto), nextCursor: page.nextCursor }
})
