import { AuditQuerySchema, type AuditPage } from '#shared/schemas/audit'
import { listAudit } from '#server/services/audit'

/** The audit log, newest first, filtered by actor, entity, action and dates; cursor-paginated. */
export default defineEventHandler(async (event): Promise<AuditPage> => {
  await requireRole(event, 'audit.read')
  const query = await getValidatedQuery(event, AuditQuerySchema.parse)
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return listAudit(services.db, query)
})
