import { locateAddress } from '#server/services/integrations/maps'
import { LocateAddressSchema } from '#shared/schemas/integrations'

/** Where an address is (Yandex Geocoder) and which active delivery zones cover it. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'orders.manage')
  const { address } = await readValidatedBody(event, LocateAddressSchema.parse)
  return locateAddress(ctx, address)
})
