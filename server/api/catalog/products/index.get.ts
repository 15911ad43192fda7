import { productListJson, type ProductListAnswer } from '#server/services/catalog/products'
import { ProductListQuerySchema } from '#shared/schemas/catalog'

/** Public: one page of products with filters, search and a cursor for the next page (`{ items, nextCursor }`). */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, ProductListQuerySchema.parse)
  const services = await useServices()
  const json = await productListJson(services.db, query)
  setResponseHeader(event, 'content-type', 'application/json')
  // The JSON of a ProductListAnswer, serialized once per catalog snapshot; typed for the app's $fetch.
  return json as unknown as ProductListAnswer
})
