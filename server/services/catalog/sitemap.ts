import { eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { categories, products } from '../../db/schema/catalog'

/** Public URLs for the sitemap; only active categories and products. */
export async function sitemapEntries(db: DbOrTx) {
  const [cats, prods] = await Promise.all([
    db.select({ slug: categories.slug, updatedAt: categories.updatedAt }).from(categories).where(eq(categories.isActive, true)),
    db.select({ slug: products.slug, updatedAt: products.updatedAt }).from(products).where(eq(products.isActive, true)),
  ])
  return [
    { path: '/', lastmod: undefined },
    { path: '/catalog', lastmod: undefined },
    ...cats.map((c) => ({ path: `/catalog/${c.slug}`, lastmod: c.updatedAt })),
    ...prods.map((p) => ({ path: `/product/${p.slug}`, lastmod: p.updatedAt })),
  ]
}
