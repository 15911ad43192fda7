import { getBusinessProfile } from '#server/services/settings/business'

/** The business profile customers see (name, tagline, address, phone, hours, time zone); `configured` is false until saved. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  return getBusinessProfile(ctx.db)
})
