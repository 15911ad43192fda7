import { addProductImage } from '#server/services/catalog/admin'
import { toProductDto } from '#server/services/catalog/dto'
import { MAX_IMAGE_BYTES } from '#server/services/files'
import { IdParamsSchema } from '#shared/schemas/catalog'

/** Uploads an image (multipart field `image`; type checked from the bytes, at most 5 MB) and appends it to the gallery. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'catalog.write')
  const { id } = await getValidatedRouterParams(event, IdParamsSchema.parse)
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_IMAGE_BYTES + 64 * 1024) throw apiError('payload_too_large', 'Images can be up to 5 MB')
  const image = ((await readMultipartFormData(event)) ?? []).find((part) => part.name === 'image' && part.filename)
  if (!image) throw apiError('validation_failed', 'Send the image in a multipart field named "image"', [{ path: 'image', message: 'missing' }])
  const added = await addProductImage(ctx, id, image.data)
  setResponseStatus(event, 201)
  return { image: added.image, product: toProductDto(added.product) }
})
