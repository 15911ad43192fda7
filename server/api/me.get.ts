import { eq } from 'drizzle-orm'
import type { H3Event } from 'h3'
import { useServices } from '../utils/runtime'
import { apiError } from '../utils/errors'
import { InitDataError, parseAuthorizationHeader, validateInitData } from '../services/auth/init-data'
import { userRoles, users } from '../db/schema'

/**
 * TEMPORARY minimal `GET /api/me` for the Mini App shell (branch `shell`): validates the
 * `Authorization: tma <initData>` header and answers the agreed contract, reading (never writing)
 * the stored locale and roles. The auth module's own implementation replaces this file on merge.
 */
export default defineEventHandler((event) => describeMe(event))

/** The signed-in user as the contract describes them; `localeOverride` serves the temporary PATCH. */
export async function describeMe(event: H3Event, localeOverride?: 'ru' | 'en') {
  const services = await useServices()
  let initData
  try {
    initData = validateInitData(parseAuthorizationHeader(getHeader(event, 'authorization')), {
      botToken: services.telegram.token,
      maxAgeSeconds: services.config.telegram.initDataMaxAgeSeconds,
    })
  } catch (error) {
    if (error instanceof InitDataError) throw apiError(error.code, error.message)
    throw error
  }
  const user = initData.user
  if (!user) throw apiError('auth_malformed', 'Init data carries no user')
  const [stored] = await services.db.select({ locale: users.locale }).from(users).where(eq(users.telegramId, user.id))
  const roles = (await services.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.telegramId, user.id))).map((r) => r.role)
  const picked = localeOverride ?? stored?.locale ?? user.languageCode ?? ''
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return {
    user: {
      id: user.id,
      firstName: user.firstName,
      lastName: user.lastName ?? null,
      username: user.username ?? null,
      languageCode: user.languageCode ?? null,
      locale: picked.toLowerCase().startsWith('ru') ? 'ru' : 'en',
      photoUrl: user.photoUrl ?? null,
      isPremium: user.isPremium,
      allowsWriteToPm: user.allowsWriteToPm,
    },
    roles,
    startParam: initData.startParam ?? null,
  }
}
