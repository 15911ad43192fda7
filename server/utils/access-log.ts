import type { Logger } from './logger'
import type { Metrics } from './metrics'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** A caller's `X-Request-Id` if it is a sane one (kept through to the logs), else undefined: make one. */
export function requestIdOf(incoming: string | string[] | undefined): string | undefined {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : undefined
}

interface FinishedRequest {
  requestId: string
  method: string
  /** Without the query (it may carry what a log should not). */
  path: string
  /** The route's pattern, 'unmatched', '/_nuxt/**' or 'page': the metric's label. */
  route: string
  status: number
  seconds: number
  ua: string | undefined
}

/** Every answered request: the duration histogram, and one access-log line (not for probes, metrics and assets). */
export function recordRequest(app: { logger: Logger; metrics: Metrics }, request: FinishedRequest) {
  const { requestId, method, path, route, status, seconds, ua } = request
  app.metrics.httpDuration.observe({ method, route, status: String(status) }, seconds)
  if (route === '/api/health' || route === '/metrics' || route === '/_nuxt/**') return
  app.logger.info('request', { requestId, method, path, route, status, ms: Math.round(seconds * 1000), ua: ua?.slice(0, 120) })
}
