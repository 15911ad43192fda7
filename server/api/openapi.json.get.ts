import { buildOpenApiDocument } from '#server/services/openapi/document'

let cached: { url: string; doc: ReturnType<typeof buildOpenApiDocument> } | undefined

/** OpenAPI 3.1 for the app, admin and integration APIs, generated from the shared zod contracts. */
export default defineEventHandler(async (event) => {
  const { config } = await useServices()
  if (cached?.url !== config.publicUrl) cached = { url: config.publicUrl, doc: buildOpenApiDocument(config.publicUrl) }
  setResponseHeader(event, 'Cache-Control', 'public, max-age=300')
  return cached.doc
})
