import { getArticle } from '#server/services/support/articles'
import { toArticleDto } from '#server/services/support/dto'
import { ArticleSlugParamsSchema } from '#shared/schemas/support'

/** One published article. */
export default defineEventHandler(async (event) => {
  const { slug } = await getValidatedRouterParams(event, ArticleSlugParamsSchema.parse)
  const services = await useServices()
  return toArticleDto(await getArticle(services.db, slug))
})
