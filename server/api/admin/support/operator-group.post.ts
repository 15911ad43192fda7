import { setOperatorGroup } from '#server/services/support/topics'
import { OperatorGroupSchema } from '#shared/schemas/support'

/** Connect the operators' Telegram group (each conversation becomes a topic there) or disconnect it with `chatId: null` (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.manage')
  const group = await readValidatedBody(event, OperatorGroupSchema.parse)
  return setOperatorGroup(ctx, group)
})
