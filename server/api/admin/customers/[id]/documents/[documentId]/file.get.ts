import { getDocument, readDocumentFile } from '#server/services/account/documents'
import { CustomerDocumentParamsSchema } from '#shared/schemas/account'

/** A customer's document file for staff (revoked ones too). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.read')
  const { id, documentId } = await getValidatedRouterParams(event, CustomerDocumentParamsSchema.parse)
  const doc = await getDocument(ctx.db, id, documentId, { includeRevoked: true })
  const bytes = await readDocumentFile(ctx, doc)
  setResponseHeader(event, 'Content-Type', doc.mimeType)
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="document.${doc.fileName.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
  setResponseHeader(event, 'Cache-Control', 'private, no-store')
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  return bytes
})
