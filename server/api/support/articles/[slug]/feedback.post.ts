import { recordArticleFeedback } from '#server/services/support/articles'
import { ArticleFeedbackSchema, ArticleSlugParamsSchema } from '#shared/schemas/support'

/** "Did this help?" from a customer in the Mini App. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { slug } = await getValidatedRouterParams(event, ArticleSlugParamsSchema.parse)
  const { helpful } = await readValidatedBody(event, ArticleFeedbackSchema.parse)
  await recordArticleFeedback(ctx.db, slug, helpful)
  return { ok: true }
})
