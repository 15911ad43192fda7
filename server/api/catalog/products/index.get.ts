import { productListJson, type ProductListAnswer } from '#server/services/catalog/products'
import { keepHotAnswer } from '#server/utils/hot-answers'
import { ProductListQuerySchema } from '#shared/schemas/catalog'

/**
 * Public: one page of products with filters, search and a cursor for the next page (`{ items, nextCursor }`).
 * The answer depends on the URL alone: while the catalog snapshot stays current, the server's entry
 * answers the same URL again without h3 (server/utils/hot-answers.ts).
 */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, ProductListQuerySchema.parse)
  const services = await useServices()
  const { json, isCurrent } = await productListJson(services.db, query)
  setResponseHeader(event, 'content-type', 'application/json')
  if (isCurrent) keepHotAnswer(event, json, isCurrent)
  // The JSON of a ProductListAnswer, serialized once per catalog snapshot; typed for the app's $fetch.
  return json as unknown as ProductListAnswer
})
