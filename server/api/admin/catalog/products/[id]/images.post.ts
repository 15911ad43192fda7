import { sql } from 'drizzle-orm'
import { useServices } from '../../../../../utils/runtime'
import { auditContext, requireRole } from '../../../../../utils/auth'
import { apiError } from '../../../../../utils/errors'
import { updateProduct } from '../../../../../services/catalog/admin'
import { toProductDto } from '../../../../../services/catalog/dto'
import { createFileStore, MAX_IMAGE_BYTES } from '../../../../../services/files'
import { recordAudit } from '../../../../../services/audit'
import { IdParamsSchema } from '#shared/schemas/catalog'

/** Uploads an image (multipart field `image`; type checked from the bytes, at most 5 MB) and appends it to the gallery. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_IMAGE_BYTES + 64 * 1024) throw apiError('payload_too_large', 'Images can be up to 5 MB')
  const parts = (await readMultipartFormData(event)) ?? []
  const image = parts.find((p) => p.name === 'image' && p.filename)
  if (!image) throw apiError('validation_failed', 'Send the image in a multipart field named "image"', [{ path: 'image', message: 'missing' }])
  const services = await useServices()
  const stored = await createFileStore(services.config.dataDir).saveImage('products', image.data)
  const after = await services.db.transaction(async (tx) => {
    const [current] = await tx.execute<{ images: string[] }>(sql`select images from products where id = ${id}`).then((r) => (Array.isArray(r) ? r : (r as unknown as { rows: { images: string[] }[] }).rows))
    if (!current) throw apiError('not_found', 'No such product')
    const change = await updateProduct(tx, id, { images: [...current.images, stored.path].slice(-12) })
    await recordAudit(tx, { ...auditContext(event, services, actor), action: 'product.image', entityType: 'product', entityId: id, before: { images: change.before.images }, after: { images: change.after.images } })
    return change.after
  })
  setResponseStatus(event, 201)
  return { image: stored, product: toProductDto(after) }
})
