import { AuditQuerySchema, type AuditPage } from '#shared/schemas/audit'
import { listAudit } from '#server/services/audit'
import { verifyAuditChain } from '#server/services/audit/chain'

/** The audit log, newest first, filtered by actor, entity, action and dates; cursor-paginated. The first page says whether the hash chain verifies. */
export default defineEventHandler(async (event): Promise<AuditPage> => {
  await requireRole(event, 'audit.read')
  const query = await getValidatedQuery(event, AuditQuerySchema.parse)
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  const page = await listAudit(services.db, query)
  return query.cursor ? page : { ...page, chain: await verifyAuditChain(services.db) }
})
