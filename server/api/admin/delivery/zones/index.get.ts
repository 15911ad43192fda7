import { listDeliveryZonesForAdmin, toDeliveryZoneDto } from '#server/services/delivery/admin'

/** Every courier zone, inactive ones too, for the delivery settings screen. */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'settings.write')
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { items: (await listDeliveryZonesForAdmin(services.db)).map(toDeliveryZoneDto) }
})
