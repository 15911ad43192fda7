import { listSavedAddresses, toAddressDto } from '#server/services/account/addresses'

/** The customer's saved addresses, the default first. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  return { items: (await listSavedAddresses(ctx.db, ctx.actor.userId!)).map(toAddressDto) }
})
