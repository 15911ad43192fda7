import { getLegalDetails } from '#server/services/account/legal'

/** The business's legal details printed on receipts. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  return getLegalDetails(ctx.db)
})
