import { updateArticle } from '#server/services/support/articles'
import { toAdminArticleDto } from '#server/services/support/dto'
import { ArticleIdParamsSchema, ArticlePatchSchema } from '#shared/schemas/support'

/** Change an article (audited with before and after). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.manage')
  const { id } = await getValidatedRouterParams(event, ArticleIdParamsSchema.parse)
  const patch = await readValidatedBody(event, ArticlePatchSchema.parse)
  return toAdminArticleDto(await updateArticle(ctx, id, patch))
})
