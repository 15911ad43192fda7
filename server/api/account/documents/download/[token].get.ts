import { readDocumentFile, resolveDocumentLink } from '#server/services/account/documents'
import { DocumentTokenParamsSchema } from '#shared/schemas/account'

/**
 * A document's file through its signed link. Telegram opens file URLs without our headers, so the
 * link is the permission (5 minutes); a request that does carry initData must be the owner's.
 */
export default defineEventHandler(async (event) => {
  const { token } = await getValidatedRouterParams(event, DocumentTokenParamsSchema.parse)
  const requester = getHeader(event, 'authorization') ? (await requireTmaUser(event)).user.id : null
  const services = await useServices()
  const doc = await resolveDocumentLink(services.db, token, requester)
  const bytes = await readDocumentFile(services, doc)
  setResponseHeader(event, 'Content-Type', doc.mimeType)
  setResponseHeader(event, 'Content-Disposition', `attachment; filename="document.${doc.fileName.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
  setResponseHeader(event, 'Cache-Control', 'private, no-store')
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  return bytes
})
