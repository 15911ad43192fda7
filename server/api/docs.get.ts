import { buildOpenApiDocument } from '#server/services/openapi/document'
import { renderApiDocs } from '#server/services/openapi/html'

/** A readable page of the OpenAPI document: no scripts, no external assets. */
export default defineEventHandler(async (event) => {
  const { config } = await useServices()
  setResponseHeader(event, 'Content-Type', 'text/html; charset=utf-8')
  setResponseHeader(event, 'Cache-Control', 'public, max-age=300')
  return renderApiDocs(buildOpenApiDocument(config.publicUrl))
})
