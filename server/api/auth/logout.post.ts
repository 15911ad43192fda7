import { revokeAdminSession } from '#server/services/auth/admin-login'

/** Ends the desktop /admin session on every replica (the row is revoked) and clears the cookie. */
export default defineEventHandler(async (event) => {
  const actor = await requireActor(event)
  const services = await useServices()
  if (actor.session) await revokeAdminSession(services.db, actor.session.id, auditContext(event, services, actor))
  await clearAdminSession(event, services)
  setResponseStatus(event, 204)
  return null
})
