import { setSupportHours } from '#server/services/support/hours'
import { SupportHoursSchema } from '#shared/schemas/support'

/** Set the support hours and the auto-reply (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.manage')
  const hours = await readValidatedBody(event, SupportHoursSchema.parse)
  return setSupportHours(ctx, hours)
})
