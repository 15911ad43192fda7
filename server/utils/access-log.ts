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

/** Probes, metrics scrapes and assets are counted in the histogram but get no access-log line. */
const unlogged = (route: string) => route === '/api/health' || route === '/metrics' || route === '/_nuxt/**'

/** Every answered request: the duration histogram, and one access-log line (not for probes, metrics and assets). */
export function recordRequest(app: { logger: Logger; metrics: Metrics }, request: FinishedRequest) {
  const { requestId, method, path, route, status, seconds, ua } = request
  app.metrics.httpDuration.observe({ method, route, status: String(status) }, seconds)
  if (unlogged(route)) return
  app.logger.info('request', { requestId, method, path, route, status, ms: Math.round(seconds * 1000), ua: ua?.slice(0, 120) })
}

/**
 * The same record for answers that repeat (a hot answer: one method, path, route and status): the
 * histogram's series and the fixed part of the log line are made once, so each answer pays only
 * for its request id, time and user agent. The line has the same fields as `recordRequest`'s.
 */
export function prepareRecord(app: { logger: Logger; metrics: Metrics }, request: Pick<FinishedRequest, 'method' | 'path' | 'route' | 'status'>) {
  const { method, path, route, status } = request
  const duration = app.metrics.httpDuration.labels(method, route, String(status))
  const line = unlogged(route) ? undefined : app.logger.prepare('info', 'request', { method, path, route, status })
  return (requestId: string, seconds: number, ua: string | undefined) => {
    duration.observe(seconds)
    line?.({ requestId, ms: Math.round(seconds * 1000), ua: ua?.slice(0, 120) })
  }
}
