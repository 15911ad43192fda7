import { listArticles } from '#server/services/support/articles'
import { toArticleListDto } from '#server/services/support/dto'
import { ArticlesQuerySchema } from '#shared/schemas/support'

/** The answer base, searched as you type (word forms, typos, the other keyboard layout); public, like the FAQ pages. */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, ArticlesQuerySchema.parse)
  const services = await useServices()
  return { items: (await listArticles(services.db, query)).map(toArticleListDto) }
})
