import { productListJson, type ProductListAnswer } from '#server/services/catalog/products'
import { sendJson } from '#server/utils/hot-answers'
import { ProductListQuerySchema } from '#shared/schemas/catalog'

/**
 * Public: one page of products with filters, search and a cursor for the next page (`{ items, nextCursor }`).
 * The answer depends on the URL alone: while the catalog snapshot stays current, the server's entry
 * answers the same URL again without h3 (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, ProductListQuerySchema.parse)
  const services = await useServices()
  // The JSON of a ProductListAnswer, serialized once per catalog snapshot.
  const { json, isCurrent } = await productListJson(services.db, query)
  return sendJson<ProductListAnswer>(event, json, isCurrent)
})
