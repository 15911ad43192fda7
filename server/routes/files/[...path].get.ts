import { createFileStore } from '#server/services/files'

/** Uploaded images; names are random UUIDs, so they can be cached for good. */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  const file = await createFileStore(services.config.dataDir).read(event.path.split('?')[0]!)
  if (!file) throw apiError('not_found', 'No such file')
  setResponseHeader(event, 'Content-Type', file.type)
  setResponseHeader(event, 'Cache-Control', 'public, max-age=31536000, immutable')
  setResponseHeader(event, 'X-Content-Type-Options', 'nosniff')
  return file.bytes
})
