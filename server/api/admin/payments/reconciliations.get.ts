import { desc } from 'drizzle-orm'
import { starReconciliations } from '#server/db/schema'

/** The latest Stars reconciliation reports (the daily job writes one). */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'payments.read')
  const services = await useServices()
  return { items: await services.db.select().from(starReconciliations).orderBy(desc(starReconciliations.id)).limit(30) }
})
