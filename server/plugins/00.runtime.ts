import { getHeader, getRequestHeader, setResponseHeader } from 'h3'
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { recordRequest, requestIdOf } from '#server/utils/access-log'
import { ConfigError, loadConfig } from '#server/utils/config'

/**
 * Boots the app: config first (a bad value prints one line per problem and exits before the
 * server takes a request), then the database, queue and bot behind one readiness promise.
 * Also: request ids, access logs and the request-duration histogram.
 */
export default defineNitroPlugin((nitroApp) => {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`)
    process.exit(1)
  }
  const app = bootstrap(config)
  app.ready.catch((error) => {
    app.logger.error('startup failed', { error })
    // Without a database the process is useless: let the orchestrator restart it.
    if (process.env.NODE_ENV !== 'development') process.exit(1)
  })

  // Nitro's `useRuntimeConfig(event)` (called by the page renderer and on every internal fetch)
  // otherwise deep-copies the config, route rules included, and re-reads the environment for
  // each request: ~0.9 ms of CPU per event, 3.6 ms per rendered page. Nothing here changes the
  // config per request, so every event gets the one read at start (frozen: a write would throw).
  const sharedConfig = useRuntimeConfig()
  nitroApp.hooks.hook('request', (event) => {
    // HEAD is a GET without the body (RFC 9110 9.3.2): uptime monitors and crawlers send it to
    // /api/health, /robots.txt and /sitemap.xml. Nitro registers a `.get.ts` route for GET only,
    // so HEAD answered 404 there: run it as the GET. Node's response was told at parse time that
    // the request is HEAD, so the status and headers go out and the body does not.
    // Before h3's router and anything else reads the method (h3 caches it on first read).
    const head = event.node.req.method === 'HEAD'
    if (head) {
      event.node.req.method = 'GET'
      sayLengthOfHead(event.node.res)
    }
    event.context.nitro ??= { errors: [] }
    event.context.nitro.runtimeConfig = sharedConfig
    const requestId = requestIdOf(getRequestHeader(event, 'x-request-id')) ?? randomUUID()
    const started = performance.now()
    event.context.requestId = requestId
    setResponseHeader(event, 'X-Request-Id', requestId)
    // A page's own fetches during server rendering (`useRequestFetch`: Nitro calls the API
    // in-process) are part of the page's request: its log line and histogram entry count them.
    if ('__unenv__' in event.node.req) return
    // 'finish' fires for every response, handled or errored, unlike h3's afterResponse.
    event.node.res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000
      const status = event.node.res.statusCode
      const matched = event.context.matchedRoute?.path as string | undefined
      const route = matched && matched !== '/**' ? matched : status === 404 ? 'unmatched' : event.path.startsWith('/_nuxt/') ? '/_nuxt/**' : 'page'
      recordRequest(app, { requestId, method: head ? 'HEAD' : event.method, path: event.path.split('?')[0]!, route, status, seconds, ua: getHeader(event, 'user-agent') })
    })
  })

  nitroApp.hooks.hook('close', () => shutdown())
})

/**
 * Node writes Content-Length for a body given to `end` only when the body goes out: a HEAD answer
 * carried none, though it should say what the GET would send (RFC 9110 8.6), and link checkers and
 * download managers read it there. A streamed body still says nothing, as its GET does.
 */
function sayLengthOfHead(res: ServerResponse) {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  res.end = ((...args: unknown[]) => {
    const [chunk, encoding] = args
    if (!res.headersSent && !res.hasHeader('content-length') && (typeof chunk === 'string' || chunk instanceof Uint8Array)) {
      res.setHeader('content-length', typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk.byteLength)
    }
    return end(...args)
  }) as ServerResponse['end']
}
