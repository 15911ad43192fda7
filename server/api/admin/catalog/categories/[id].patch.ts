import { updateCategory } from '#server/services/catalog/admin'
import { toCategoryDto } from '#server/services/catalog/dto'
import { CategoryPatchSchema, IdParamsSchema } from '#shared/schemas/catalog'

/** Edits a category (names, parent, order, hide/show); audited with before and after. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  const patch = await readValidatedBody(event, CategoryPatchSchema.parse)
  return toCategoryDto(await updateCategory(ctx, id, patch))
})
