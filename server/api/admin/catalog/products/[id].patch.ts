import { updateProduct } from '#server/services/catalog/admin'
import { toProductDto } from '#server/services/catalog/dto'
import { IdParamsSchema, ProductPatchSchema } from '#shared/schemas/catalog'

/** Edits a product (price, texts, options, hide/show); audited with before and after. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, ProductPatchSchema.parse)
  return toProductDto(await updateProduct(ctx, id, patch))
})
