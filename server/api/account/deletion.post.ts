import { deleteAccount } from '#server/services/account/data'
import { AccountDeletionSchema } from '#shared/schemas/account'

/** Deletes the customer's account (body `{ "confirm": true }`): personal data erased, money records kept anonymised; confirmed in the chat. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  await readValidatedBody(event, AccountDeletionSchema.parse)
  await deleteAccount(ctx)
  return { deleted: true }
})
