import type { AdminSessionResponse } from '#shared/schemas/auth'

/** Who is signed in to /admin (cookie or initData), their permissions and the CSRF token for cookie writes. */
export default defineEventHandler(async (event): Promise<AdminSessionResponse> => {
  const actor = await requireActor(event)
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return {
    user: actor.user,
    roles: actor.roles,
    permissions: permissionsOf(actor.roles),
    via: actor.via,
    csrfToken: actor.session?.csrfToken ?? null,
    expiresAt: actor.session?.expiresAt.toISOString() ?? null,
  }
})
