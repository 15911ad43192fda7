import { updateAccountProfile } from '#server/services/account/profile'
import { ProfilePatchSchema } from '#shared/schemas/account'

/** The customer changes phone, email, birthday, language or notification preferences. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const patch = await readValidatedBody(event, ProfilePatchSchema.parse)
  return updateAccountProfile(ctx, patch)
})
