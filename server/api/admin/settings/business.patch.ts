import { updateBusinessProfile } from '#server/services/settings/business'
import { BusinessProfileSchema } from '#shared/schemas/business'

/** Saves the business profile (audited); the Mini App, the public pages and the bot show it within a second. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const input = await readValidatedBody(event, BusinessProfileSchema.parse)
  return updateBusinessProfile(ctx, input)
})
