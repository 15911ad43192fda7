import { getAccountProfile } from '#server/services/account/profile'

/** The customer's account: Telegram's fields, contact data, preferences. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return getAccountProfile(ctx.db, ctx.actor.userId!)
})
