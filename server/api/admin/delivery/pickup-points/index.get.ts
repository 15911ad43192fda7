import { listPickupPointsForAdmin, toPickupPointDto } from '#server/services/delivery/admin'

/** Every pickup point, inactive ones too, for the delivery settings screen. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'settings.write')
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { items: (await listPickupPointsForAdmin(services.db)).map(toPickupPointDto) }
})
