import { useServices } from '#server/utils/runtime'
import { recordClick } from '#server/services/broadcasts'
import { buttonTarget } from '#server/services/broadcasts/messages'
import { BroadcastClickParamsSchema } from '#shared/schemas/broadcasts'

/** A broadcast's button, pressed: counted for that recipient, then on to the link or the Mini App. */
export default defineEventHandler(async (event) => {
  const { token } = await getValidatedRouterParams(event, BroadcastClickParamsSchema.parse)
  const services = await useServices()
  const button = await recordClick(services.db, token)
  if (!button) throw apiError('not_found', 'This link is not one of ours or its broadcast is gone')
  const username = services.telegram.sandbox ? null : (services.bot.botInfo?.username ?? null)
  return sendRedirect(event, buttonTarget(button, services.config.publicUrl, username), 302)
})
