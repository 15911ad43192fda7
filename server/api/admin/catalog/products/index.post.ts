import { createProduct } from '#server/services/catalog/admin'
import { toProductDto } from '#server/services/catalog/dto'
import { ProductInputSchema } from '#shared/schemas/catalog'

/** Adds a product (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const input = await readValidatedBody(event, ProductInputSchema.parse)
  const product = await createProduct(ctx, input)
  setResponseStatus(event, 201)
  return toProductDto(product)
})
