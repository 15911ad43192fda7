import { discardDraft } from '#server/services/forms'
import { FormSlugParamsSchema } from '#shared/schemas/forms'

/** Throws the draft away (start over). */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const { slug } = await getValidatedRouterParams(event, FormSlugParamsSchema.parse)
  await discardDraft(ctx, slug)
  setResponseStatus(event, 204)
  return null
})
