import { draftDto, saveDraft } from '#server/services/forms'
import { DraftSaveSchema, FormSlugParamsSchema } from '#shared/schemas/forms'

/** Saves the draft on top of `baseRevision`; 409 `draft_conflict` (with the current draft) when another device saved meanwhile. */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const { slug } = await getValidatedRouterParams(event, FormSlugParamsSchema.parse)
  const input = await readValidatedBody(event, DraftSaveSchema.parse)
  return draftDto(await saveDraft(ctx, slug, input))
})
