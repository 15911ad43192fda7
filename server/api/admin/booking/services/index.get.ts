import { listServicesForAdmin } from '#server/services/booking/admin'

/** Staff: every booking service, hidden ones too, with who performs it. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'bookings.manage')
  return { items: await listServicesForAdmin(ctx.db) }
})
