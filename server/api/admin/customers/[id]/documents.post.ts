import { attachDocument, MAX_DOCUMENT_BYTES, toDocumentDto } from '#server/services/account/documents'
import { CustomerParamsSchema, DocumentUploadFieldsSchema } from '#shared/schemas/account'

/** Attaches a document to the customer (multipart: `file`, `kind`, `title`; PDF, JPEG or PNG up to 10 MB); the customer is told in the chat. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.manage')
  const { id } = await getValidatedRouterParams(event, CustomerParamsSchema.parse)
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_DOCUMENT_BYTES + 64 * 1024) throw apiError('payload_too_large', 'Documents can be up to 10 MB')
  const parts = (await readMultipartFormData(event)) ?? []
  const file = parts.find((part) => part.name === 'file' && part.filename)
  if (!file) throw apiError('validation_failed', 'Send the file in a multipart field named "file"', [{ path: 'file', message: 'missing' }])
  const field = (name: string) => parts.find((part) => part.name === name && !part.filename)?.data.toString('utf8')
  const fields = DocumentUploadFieldsSchema.safeParse({ kind: field('kind'), title: field('title') })
  if (!fields.success) throw apiError('validation_failed', 'kind and title are required', fields.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })))
  const doc = await attachDocument(ctx, id, { ...fields.data, fileName: file.filename!, bytes: file.data })
  setResponseStatus(event, 201)
  return toDocumentDto(doc)
})
