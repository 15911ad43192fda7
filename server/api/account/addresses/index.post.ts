import { createAddress, toAddressDto } from '#server/services/account/addresses'
import { AddressInputSchema } from '#shared/schemas/account'

/** Saves a new address (201). */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const input = await readValidatedBody(event, AddressInputSchema.parse)
  const row = await createAddress(ctx, input)
  setResponseStatus(event, 201)
  return toAddressDto(row)
})
