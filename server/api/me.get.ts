import type { MeResponse } from '#shared/schemas/auth'

/** The Mini App user, validated from `Authorization: tma <initData>`, with their roles. */
export default defineEventHandler(async (event): Promise<MeResponse> => {
  const { user, roles, initData } = await requireTmaUser(event)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { user, roles, startParam: initData.startParam ?? null }
})
