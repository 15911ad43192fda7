import { setResponseHeader, setResponseStatus, send } from 'h3'
import { useBootstrap } from './utils/runtime'
import { toApiErrorBody } from './utils/errors'
import { noteDatabaseDown } from './utils/database-breaker'

/**
 * JSON errors `{ statusCode, code, message, details?, requestId }` for the API, metrics and
 * webhook; pages fall through to Nuxt's own error page.
 */
export default defineNitroErrorHandler((error, event) => {
  const path = event.path
  if (!(path.startsWith('/api/') || path === '/api' || path.startsWith('/metrics'))) return
  const body = toApiErrorBody(error)
  const requestId = event.context.requestId as string | undefined
  if (body.code === 'database_unavailable') {
    // Later requests answer 503 at once until a ping gets through (server/utils/database-breaker.ts).
    const app = useBootstrap()
    if (app) noteDatabaseDown(async () => (await app.ready).database.ping())
  }
  if (body.statusCode >= 500) useBootstrap()?.logger.error('request failed', { requestId, path: path.split('?')[0], code: body.code, error: error.cause ?? error })
  setResponseStatus(event, body.statusCode)
  setResponseHeader(event, 'Content-Type', 'application/json; charset=utf-8')
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return send(event, JSON.stringify({ ...body, requestId }))
})
