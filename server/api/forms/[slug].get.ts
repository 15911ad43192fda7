import { openForm } from '#server/services/forms'
import { toFillableFormDto } from '#server/services/forms/dto'
import { FormSlugParamsSchema } from '#shared/schemas/forms'

/** A published form to fill, with the user's draft (from any device) if there is one. */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const { slug } = await getValidatedRouterParams(event, FormSlugParamsSchema.parse)
  const { form, version, draft } = await openForm(ctx, slug)
  return toFillableFormDto(form, version, draft)
})
