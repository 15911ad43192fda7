import { createCategory } from '#server/services/catalog/admin'
import { toCategoryDto } from '#server/services/catalog/dto'
import { CategoryInputSchema } from '#shared/schemas/catalog'

/** Adds a category (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const input = await readValidatedBody(event, CategoryInputSchema.parse)
  const category = await createCategory(ctx, input)
  setResponseStatus(event, 201)
  return toCategoryDto(category)
})
