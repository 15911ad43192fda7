import { timingSafeEqual } from 'node:crypto'

const matches = (received: string, expected: string) => {
  const a = Buffer.from(received)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Prometheus text exposition: HTTP durations, Telegram intake, queue depth, process metrics. It
 * names every admin route and its traffic, so with METRICS_TOKEN set (required in production) only
 * `Authorization: Bearer <METRICS_TOKEN>` gets it.
 */
export default defineEventHandler(async (event) => {
  const app = useBootstrap()!
  const token = app.config.metricsToken
  if (token) {
    const bearer = /^Bearer\s+(\S+)$/i.exec(getHeader(event, 'authorization') ?? '')?.[1]
    if (!bearer || !matches(bearer, token)) {
      setResponseHeader(event, 'WWW-Authenticate', 'Bearer realm="metrics"')
      throw bearer ? apiError('auth_invalid_token', 'Wrong metrics token') : apiError('auth_missing', 'Send Authorization: Bearer <METRICS_TOKEN>')
    }
  }
  setResponseHeader(event, 'Content-Type', app.metrics.registry.contentType)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return app.metrics.render()
})
