import { createDocumentLink } from '#server/services/account/documents'
import { AccountIdParamsSchema } from '#shared/schemas/account'

/** A signed download link to one of the customer's documents, valid for 5 minutes. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const { id } = await getValidatedRouterParams(event, AccountIdParamsSchema.parse)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return createDocumentLink(ctx, id)
})
