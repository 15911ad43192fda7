import { UpdateReplayParamsSchema } from '#shared/schemas/system'
import { replayFailedUpdate } from '#server/services/system'

/** Hands a parked Telegram update to the bot again (audited). */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'system.manage')
  const { updateId } = await getValidatedRouterParams(event, UpdateReplayParamsSchema.parse)
  await replayFailedUpdate(ctx, updateId)
  return { ok: true }
})
