/** The /sandbox page exists only in sandbox mode: with a real bot token it answers 404 like any unknown page. */
export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]!
  if (path !== '/sandbox' && !path.startsWith('/sandbox/')) return
  const services = await useServices()
  if (!services.config.telegram.sandbox) throw createError({ statusCode: 404, statusMessage: 'Not Found' })
})
