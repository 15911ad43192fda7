import { getBookingService } from '#server/services/booking'
import { toBookingServiceDto } from '#server/services/booking/dto'
import { ServiceSlugParamsSchema } from '#shared/schemas/booking'

/** Public: one service with the specialists (or rooms) who perform it. */
export default defineEventHandler(async (event) => {
  const { slug } = await getValidatedRouterParams(event, ServiceSlugParamsSchema.parse)
  const services = await useServices()
  const { service, resources } = await getBookingService(services.db, { slug })
  return toBookingServiceDto(service, resources)
})
