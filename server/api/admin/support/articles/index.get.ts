import { listAllArticles } from '#server/services/support/articles'
import { toAdminArticleDto } from '#server/services/support/dto'

/** Every article of the answer base, published or not, with its "did this help?" counts. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  return { items: (await listAllArticles(ctx.db)).map(toAdminArticleDto) }
})
