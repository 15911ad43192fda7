import { revokeApiKey } from '#server/services/partner-api/keys'
import { ApiKeyParamsSchema } from '#shared/schemas/partner-api'

/** Revokes a key at once (audited): its next request gets 401 `api_key_revoked`. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const { id } = await getValidatedRouterParams(event, ApiKeyParamsSchema.parse)
  return revokeApiKey(ctx, id)
})
