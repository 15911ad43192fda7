import { createApiKey } from '#server/services/partner-api/keys'
import { ApiKeyInputSchema } from '#shared/schemas/partner-api'

/** Makes an API key with scopes (audited); the answer carries the key, shown this once. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'integrations.manage')
  const body = await readValidatedBody(event, ApiKeyInputSchema.parse)
  setResponseStatus(event, 201)
  return createApiKey(ctx, body)
})
