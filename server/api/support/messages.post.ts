import { recordCustomerMessage } from '#server/services/support'
import { toCustomerMessageDto } from '#server/services/support/dto'
import { runIdempotent } from '#server/services/idempotency'
import { chatLocale } from '#server/services/auth/users'
import { SupportMessageSchema } from '#shared/schemas/support'

/**
 * "Talk to a person": the customer's message (with the article they tried and the order it is
 * about) goes into their conversation. Requires `Idempotency-Key`: a retry stores nothing twice.
 */
export default defineEventHandler(async (event) => {
  const ctx = await customerContext(event)
  const key = requireIdempotencyKey(event)
  const input = await readValidatedBody(event, SupportMessageSchema.parse)
  const userId = ctx.actor.userId!
  const locale = await chatLocale(ctx.db, userId, null)
  const { value } = await runIdempotent(ctx.db, { scope: `support.message:user:${userId}`, key, request: input }, () =>
    recordCustomerMessage(ctx, { ...input, sourceKey: `app:${userId}:${key}`, via: 'app', locale }),
  )
  setResponseStatus(event, value.duplicate ? 200 : 201)
  return { conversationId: value.conversationId, message: toCustomerMessageDto(value.message) }
})
