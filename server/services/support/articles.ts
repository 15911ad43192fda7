import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { isUniqueViolation } from '../../db/results'
import { supportArticles } from '../../db/schema/support'
import type { ArticleInput } from '#shared/schemas/support'
import { DomainError } from '../../utils/errors'
import { searchVariants, type SearchVariant } from '../catalog/search-variants'
import { write, type ServiceContext } from '../context'

export type ArticleRow = typeof supportArticles.$inferSelect

/** The text trigram search compares against (matches support_articles_title_trgm_idx). */
const titleText = sql`lower((${supportArticles.title}->>'ru') || ' ' || (${supportArticles.title}->>'en'))`

function searchQuery(variants: SearchVariant[]): SQL {
  return sql.join(
    variants.flatMap((v) => v.configs.map((config) => sql`websearch_to_tsquery(${sql.raw(`'${config}'`)}, ${v.text})`)),
    sql` || `,
  )
}

/**
 * The published answer base, optionally searched the catalog's way (word forms in both languages,
 * typos and the other keyboard layout through trigrams on the title), best match first.
 */
export async function listArticles(db: DbOrTx, query: { q?: string; category?: string; limit?: number }) {
  const filters: SQL[] = [eq(supportArticles.published, true)]
  if (query.category) filters.push(eq(supportArticles.category, query.category))
  const variants = query.q ? searchVariants(query.q) : []
  if (!variants.length) return db.select().from(supportArticles).where(and(...filters)).orderBy(asc(supportArticles.category), asc(supportArticles.position), asc(supportArticles.id)).limit(query.limit ?? 200)
  const fuzzy = variants.filter((v) => v.fuzzy)
  const similar = fuzzy.map((v) => sql`${titleText} %> ${v.text}`)
  const best = fuzzy.length ? sql`greatest(${sql.join(fuzzy.map((v) => sql`word_similarity(${v.text}, ${titleText})`), sql`, `)})` : sql`0`
  filters.push(sql`(${supportArticles.search} @@ (${searchQuery(variants)})${similar.length ? sql` or ${sql.join(similar, sql` or `)}` : sql``})`)
  return db
    .select()
    .from(supportArticles)
    .where(and(...filters))
    .orderBy(sql`(ts_rank(${supportArticles.search}, ${searchQuery(variants)}) + ${best}) desc`, asc(supportArticles.id))
    .limit(query.limit ?? 20)
}

/** One published article by slug (404 otherwise). */
export async function getArticle(db: DbOrTx, slug: string, options: { unpublished?: boolean } = {}) {
  const [row] = await db.select().from(supportArticles).where(eq(supportArticles.slug, slug))
  if (!row || (!row.published && !options.unpublished)) throw new DomainError('not_found', 'No such article')
  return row
}

/** Every article for staff, published or not. */
export const listAllArticles = (db: DbOrTx) => db.select().from(supportArticles).orderBy(asc(supportArticles.category), asc(supportArticles.position), asc(supportArticles.id))

/** "Did this help?": counted per answer (the counts tell staff which articles to rewrite). */
export async function recordArticleFeedback(db: DbOrTx, slug: string, helpful: boolean) {
  const [row] = await db
    .update(supportArticles)
    .set(helpful ? { helpfulYes: sql`${supportArticles.helpfulYes} + 1` } : { helpfulNo: sql`${supportArticles.helpfulNo} + 1` })
    .where(and(eq(supportArticles.slug, slug), eq(supportArticles.published, true)))
    .returning({ id: supportArticles.id })
  if (!row) throw new DomainError('not_found', 'No such article')
}

const slugTaken = () => new DomainError('conflict', 'Another article has this slug', 409, [{ path: 'slug', message: 'taken' }])

/** Staff add an article (audited). */
export async function createArticle(ctx: ServiceContext, input: ArticleInput) {
  try {
    return await write(ctx, async (w) => {
      const [row] = await w.db.insert(supportArticles).values(input).returning()
      await w.audit({ action: 'support.article.create', entityType: 'support_article', entityId: row!.id, after: input })
      return row!
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken()
    throw error
  }
}

/** Staff change an article (audited with before and after). */
export async function updateArticle(ctx: ServiceContext, id: number, patch: Partial<ArticleInput>) {
  try {
    return await write(ctx, async (w) => {
      const [before] = await w.db.select().from(supportArticles).where(eq(supportArticles.id, id)).for('update')
      if (!before) throw new DomainError('not_found', 'No such article')
      const [row] = await w.db.update(supportArticles).set(patch).where(eq(supportArticles.id, id)).returning()
      await w.audit({ action: 'support.article.update', entityType: 'support_article', entityId: id, before: { slug: before.slug, title: before.title, published: before.published }, after: patch })
      return row!
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken()
    throw error
  }
}

/** The answer base's public pages for the sitemap: the list and every published article. */
export async function articleSitemapEntries(db: DbOrTx) {
  const rows = await db.select({ slug: supportArticles.slug, updatedAt: supportArticles.updatedAt }).from(supportArticles).where(eq(supportArticles.published, true)).orderBy(asc(supportArticles.id))
  return [{ path: '/faq', lastmod: undefined }, ...rows.map((r) => ({ path: `/faq/${r.slug}`, lastmod: r.updatedAt }))]
}
