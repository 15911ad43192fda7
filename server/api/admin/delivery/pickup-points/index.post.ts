import { createPickupPoint, toPickupPointDto } from '#server/services/delivery/admin'
import { PickupPointInputSchema } from '#shared/schemas/orders'

/** Adds a pickup point (name, address, hours); audited. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'settings.write')
  const input = await readValidatedBody(event, PickupPointInputSchema.parse)
  const point = await createPickupPoint(ctx, input)
  setResponseStatus(event, 201)
  return toPickupPointDto(point)
})
