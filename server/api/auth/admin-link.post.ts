import { AdminLinkSchema, type AdminSessionResponse } from '#shared/schemas/auth'
import { redeemAdminLoginToken } from '#server/services/auth/admin-login'

/** Exchanges a one-time sign-in link from the bot's /admin command for an /admin session cookie. */
export default defineEventHandler(async (event): Promise<AdminSessionResponse> => {
  const services = await useServices()
  await enforceRateLimit(event, services, [{ key: `signin:ip:${clientIp(event, services)}`, ...RATE_LIMITS.signInPerIp }])
  const { token } = await readValidatedBody(event, AdminLinkSchema.parse)
  const { requestId, ip } = auditContext(event, services)
  const signIn = await redeemAdminLoginToken(services.db, token, { requestId, ip, userAgent: getHeader(event, 'user-agent') })
  await startAdminSession(event, services, signIn)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return {
    user: signIn.user,
    roles: signIn.roles,
    permissions: permissionsOf(signIn.roles),
    via: 'session',
    csrfToken: signIn.csrfToken,
    expiresAt: signIn.expiresAt.toISOString(),
  }
})
