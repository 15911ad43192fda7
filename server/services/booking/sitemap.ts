import { asc, eq } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { bookingServices } from '../../db/schema/booking'

/** The public booking pages for the sitemap: the list of services and every active service. */
export async function bookingSitemapEntries(db: DbOrTx) {
  const rows = await db.select({ slug: bookingServices.slug, updatedAt: bookingServices.updatedAt }).from(bookingServices).where(eq(bookingServices.isActive, true)).orderBy(asc(bookingServices.id))
  const newest = rows.reduce<Date | undefined>((max, r) => (!max || r.updatedAt > max ? r.updatedAt : max), undefined)
  return [{ path: '/services', lastmod: newest }, ...rows.map((r) => ({ path: `/services/${r.slug}`, lastmod: r.updatedAt as Date | undefined }))]
}
