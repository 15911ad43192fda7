import { probeConnectors } from '#server/services/integrations/probe'

/** Checks every configured partner now (what the hourly probe does): a harmless read whose answer must match its contract. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return { results: await probeConnectors(ctx) }
})
