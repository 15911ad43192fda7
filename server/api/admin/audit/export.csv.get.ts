import { AuditQuerySchema } from '#shared/schemas/audit'
import { exportAuditCsv } from '#server/services/audit'

/** The filtered audit log as a CSV download (same filters as `GET /api/admin/audit`). */
export default defineEventHandler(async (event) => {
  await requireRole(event, 'audit.read')
  const { limit: _limit, ...query } = await getValidatedQuery(event, AuditQuerySchema.parse)
  const services = await useServices()
  const csv = await exportAuditCsv(services.db, query)
  setResponseHeaders(event, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
    'Cache-Control': 'no-store',
  })
  return csv
})
