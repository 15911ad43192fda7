/** Prometheus text exposition: HTTP durations, Telegram intake, queue depth, process metrics. */
export default defineEventHandler(async (event) => {
  const app = useBootstrap()!
  setResponseHeader(event, 'Content-Type', app.metrics.registry.contentType)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return app.metrics.render()
})
