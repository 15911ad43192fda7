import { useServices } from '../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../utils/auth'
import { apiError } from '../../../../utils/errors'
import { importProductsCsv } from '../../../../services/catalog/admin'
import { recordAudit } from '../../../../services/audit'

const MAX_CSV_BYTES = 2 * 1024 * 1024

/** CSV import (body: the file, text/csv): good rows are saved, bad rows come back with line, field and reason. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_CSV_BYTES) throw apiError('payload_too_large', 'The CSV file is larger than 2 MB')
  const text = await readRawBody(event, 'utf8')
  if (!text?.trim()) throw apiError('validation_failed', 'Send the CSV file as the request body', [{ path: 'body', message: 'empty' }])
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw apiError('payload_too_large', 'The CSV file is larger than 2 MB')
  const services = await useServices()
  const result = await importProductsCsv(services.db, text)
  await recordAudit(services.db, { ...auditContext(event, services, actor), action: 'product.import', entityType: 'product', after: { created: result.created, updated: result.updated, failed: result.failed } })
  return result
})
