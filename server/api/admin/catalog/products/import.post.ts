import { importProductsCsv } from '#server/services/catalog/admin'

const MAX_CSV_BYTES = 2 * 1024 * 1024

/** CSV import (body: the file, text/csv): good rows are saved (one audit entry per changed product), bad rows come back with line, field and reason. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_CSV_BYTES) throw apiError('payload_too_large', 'The CSV file is larger than 2 MB')
  const text = await readRawBody(event, 'utf8')
  if (!text?.trim()) throw apiError('validation_failed', 'Send the CSV file as the request body', [{ path: 'body', message: 'empty' }])
  if (Buffer.byteLength(text) > MAX_CSV_BYTES) throw apiError('payload_too_large', 'The CSV file is larger than 2 MB')
  return importProductsCsv(ctx, text)
})
