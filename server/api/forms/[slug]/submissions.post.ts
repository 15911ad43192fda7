import { runIdempotent } from '#server/services/idempotency'
import { submitForm } from '#server/services/forms'
import { toSubmissionReceiptDto } from '#server/services/forms/dto'
import { FormSlugParamsSchema, SubmissionSchema } from '#shared/schemas/forms'

/**
 * Sends a filled form. Requires `Idempotency-Key` (the offline outbox resends with the same one):
 * 201 the first time, 200 with the same submission on a resend; 400 `form_invalid` with one error
 * per field when the answers break the form's rules.
 */
export default defineEventHandler(async (event) => {
  const ctx = await fillerContext(event)
  const key = requireIdempotencyKey(event)
  const { slug } = await getValidatedRouterParams(event, FormSlugParamsSchema.parse)
  const input = await readValidatedBody(event, SubmissionSchema.parse)
  const { value } = await runIdempotent(ctx.db, { scope: `forms.submit:user:${ctx.actor.userId}`, key, request: { slug, ...input } }, () => submitForm(ctx, slug, input, key))
  setResponseStatus(event, value.created ? 201 : 200)
  return toSubmissionReceiptDto(value.submission)
})
