import { listInbound } from '#server/services/integrations/warehouse'

/** What partners sent or we pulled: applied syncs, accepted webhooks, quarantined payloads with the field paths that broke the contract. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return { items: await listInbound(ctx.db) }
})
