import { findFreeSlots, slotDto } from '#server/services/booking'
import { SlotsQuerySchema } from '#shared/schemas/booking'

/**
 * Public: free start times of a service, per local day of the business (`timezone`), for one
 * specialist or any. Instants are UTC; the app shows them in the device's zone. `full` lists the
 * starts whose session is fully booked (the app offers "Tell me when free" on them).
 */
export default defineEventHandler(async (event) => {
  const query = await getValidatedQuery(event, SlotsQuerySchema.parse)
  const services = await useServices()
  const { timezone, days } = await findFreeSlots(services.db, query)
  return { timezone, days: days.map((d) => ({ date: d.date, slots: d.slots.map(slotDto), full: d.full.map((at) => at.toISOString()) })) }
})
