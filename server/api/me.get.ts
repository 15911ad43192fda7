import type { MeResponse } from '#shared/schemas/auth'
import { recordActivity } from '#server/services/insights/activity'

/** The Mini App user, validated from `Authorization: tma <initData>`, with their roles. */
export default defineEventHandler(async (event): Promise<MeResponse> => {
  const { user, roles, initData } = await requireTmaUser(event)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  // The Mini App asks this once when it opens: counted once per person per day for the owner's overview.
  await recordActivity((await useServices()).db, user.id, 'app_open')
  return { user, roles, startParam: initData.startParam ?? null }
})
