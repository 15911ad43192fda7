import { createHash } from 'node:crypto'
import { MAX_IMAGE_BYTES } from '#server/services/files'
import { runIdempotent } from '#server/services/idempotency'
import { saveFormPhoto } from '#server/services/forms'

/**
 * Uploads a photo for a form's photo field (multipart field `image`, at most 5 MB, type checked
 * from the bytes) and answers its path. Requires `Idempotency-Key`: a resent upload answers the
 * same path instead of storing the photo twice.
 */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const key = requireIdempotencyKey(event)
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_IMAGE_BYTES + 64 * 1024) throw apiError('payload_too_large', 'Images can be up to 5 MB')
  const image = ((await readMultipartFormData(event)) ?? []).find((part) => part.name === 'image')
  if (!image) throw apiError('validation_failed', 'Send the image in a multipart field named "image"', [{ path: 'image', message: 'missing' }])
  const sha256 = createHash('sha256').update(image.data).digest('hex')
  const { value, replayed } = await runIdempotent(ctx.db, { scope: `forms.photo:user:${ctx.actor.userId}`, key, request: { sha256 } }, () => saveFormPhoto(ctx, image.data), { replay: 'stored' })
  setResponseStatus(event, replayed ? 200 : 201)
  return value
})
