import { getSupportHours } from '#server/services/support/hours'

/** Support hours per weekday, the auto-reply outside them and the expected wait. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  return getSupportHours(ctx.db)
})
