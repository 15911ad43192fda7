import { createDeliveryZone, toDeliveryZoneDto } from '#server/services/delivery/admin'
import { DeliveryZoneInputSchema } from '#shared/schemas/orders'

/** Adds a courier zone (price, free-from, minimum, time, and the addresses it covers); audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const input = await readValidatedBody(event, DeliveryZoneInputSchema.parse)
  const zone = await createDeliveryZone(ctx, input)
  setResponseStatus(event, 201)
  return toDeliveryZoneDto(zone)
})
