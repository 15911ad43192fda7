import { sitemapEntries } from '#server/services/catalog/sitemap'
import { articleSitemapEntries } from '#server/services/support/articles'
import { bookingSitemapEntries } from '#server/services/booking/sitemap'

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

/** Every public page: home, catalog, each active category and product, the answer base, the bookable services, with last-modified dates. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const entries = [...(await sitemapEntries(services.db)), ...(await articleSitemapEntries(services.db)), ...(await bookingSitemapEntries(services.db))]
  const base = services.config.publicUrl
  const urls = entries.map((e) => `  <url><loc>${escapeXml(base + e.path)}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`)
  setResponseHeader(event, 'Content-Type', 'application/xml; charset=utf-8')
  setResponseHeader(event, 'Cache-Control', 'public, max-age=600')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
})
