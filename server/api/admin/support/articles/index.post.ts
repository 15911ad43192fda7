import { createArticle } from '#server/services/support/articles'
import { toAdminArticleDto } from '#server/services/support/dto'
import { ArticleInputSchema } from '#shared/schemas/support'

/** Add an article to the answer base (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.manage')
  const input = await readValidatedBody(event, ArticleInputSchema.parse)
  setResponseStatus(event, 201)
  return toAdminArticleDto(await createArticle(ctx, input))
})
