import { replyAsOperator } from '#server/services/support'
import { toStaffMessageDto } from '#server/services/support/dto'
import { runIdempotent } from '#server/services/idempotency'
import { ConversationParamsSchema, OperatorMessageSchema } from '#shared/schemas/support'

/** An operator's reply (queued for the customer's chat) or an internal note. `Idempotency-Key`: a retry sends nothing twice. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.reply')
  const key = requireIdempotencyKey(event)
  const { id } = await getValidatedRouterParams(event, ConversationParamsSchema.parse)
  const input = await readValidatedBody(event, OperatorMessageSchema.parse)
  const { value } = await runIdempotent(ctx.db, { scope: `support.reply:staff:${ctx.actor.userId}`, key, request: { id, ...input } }, async () => toStaffMessageDto(await replyAsOperator(ctx, id, input), new Map()), { replay: 'stored' })
  setResponseStatus(event, 201)
  return value
})
