import { listConnectorHealth } from '#server/services/integrations/admin'

/** Every connector's health: configured or not (never its secrets), "partner changed" warning, last success, error rate, latency, deliveries by status. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return { connectors: await listConnectorHealth(ctx.db, ctx.config) }
})
