import { listBookingServices } from '#server/services/booking'
import { toBookingServiceDto } from '#server/services/booking/dto'

/** Public: the services a customer can book. */
export default defineEventHandler(async () => {
  const services = await useServices()
  return (await listBookingServices(services.db)).map((s) => toBookingServiceDto(s))
})
