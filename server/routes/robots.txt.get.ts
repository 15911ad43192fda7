/** Search engines may read the public pages; the Mini App, admin, sandbox and API are not for them. */
export default defineEventHandler(async (event) => {
  const { config } = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/plain; charset=utf-8')
  setResponseHeader(event, 'Cache-Control', 'public, max-age=3600')
  return ['User-agent: *', 'Allow: /', 'Disallow: /app', 'Disallow: /admin', 'Disallow: /sandbox', 'Disallow: /api/', '', `Sitemap: ${config.publicUrl}/sitemap.xml`, ''].join('\n')
})
