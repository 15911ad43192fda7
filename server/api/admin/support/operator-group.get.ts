import { getOperatorGroup } from '#server/services/support/topics'

/** The operators' Telegram group (a supergroup with topics), or `chatId: null`. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'support.manage')
  return getOperatorGroup(ctx.db)
})
