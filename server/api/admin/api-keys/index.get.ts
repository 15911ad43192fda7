import { listApiKeys } from '#server/services/partner-api/keys'

/** Partners' API keys: name, prefix, scopes, rate limit, last used, revoked (never the key). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  return { keys: await listApiKeys(ctx.db) }
})
