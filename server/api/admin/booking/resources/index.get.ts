import { listResourcesForAdmin } from '#server/services/booking/admin'

/** Staff: every resource (staff member, room), inactive ones too, with its week, breaks and services. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  return { items: await listResourcesForAdmin(ctx.db) }
})
