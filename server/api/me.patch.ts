import { UpdateMeSchema, type MeResponse } from '#shared/schemas/auth'
import { setUserLocale } from '#server/services/auth/users'

/** Stores the locale the user picked; answers like `GET /api/me`. */
export default defineEventHandler(async (event): Promise<MeResponse> => {
  const { roles, initData, user: current } = await requireTmaUser(event)
  const { locale } = await readValidatedBody(event, UpdateMeSchema.parse)
  const services = await useServices()
  const user = await setUserLocale(services.db, current.id, locale)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { user, roles, startParam: initData.startParam ?? null }
})
