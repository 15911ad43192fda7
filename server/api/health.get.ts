/** Liveness: the process answers. Says nothing about the database on purpose (that is /api/ready). */
export default defineEventHandler((event) => {
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { status: 'ok' }
})
