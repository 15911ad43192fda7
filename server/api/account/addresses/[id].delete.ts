import { deleteAddress } from '#server/services/account/addresses'
import { AccountIdParamsSchema } from '#shared/schemas/account'

/** Deletes one of the customer's addresses (204). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, AccountIdParamsSchema.parse)
  await deleteAddress(ctx, id)
  setResponseStatus(event, 204)
  return null
})
