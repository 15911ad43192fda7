import { revokeDocument, toDocumentDto } from '#server/services/account/documents'
import { CustomerDocumentParamsSchema } from '#shared/schemas/account'

/** Revokes a customer's document: its links stop working, the customer no longer sees it (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'customers.manage')
  const { id, documentId } = await getValidatedRouterParams(event, CustomerDocumentParamsSchema.parse)
  return toDocumentDto(await revokeDocument(ctx, id, documentId))
})
