import { listDocuments, toDocumentDto } from '#server/services/account/documents'

/** The customer's documents: receipts and what operators attached, newest first. */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { items: (await listDocuments(ctx.db, ctx.actor.userId!)).map(toDocumentDto) }
})
