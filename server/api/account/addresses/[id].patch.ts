import { toAddressDto, updateAddress } from '#server/services/account/addresses'
import { AccountIdParamsSchema, AddressPatchSchema } from '#shared/schemas/account'

/** Edits one of the customer's addresses or makes it the default. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, AccountIdParamsSchema.parse)
  const patch = await readValidatedBody(event, AddressPatchSchema.parse)
  return toAddressDto(await updateAddress(ctx, id, patch))
})
