import { UserRoleParamsSchema } from '#shared/schemas/auth'
import { revokeRole } from '#server/services/auth/roles'

/** Removes a role (audited); takes effect on the user's next request. The last owner stays. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'roles.manage')
  const { id, role } = await getValidatedRouterParams(event, UserRoleParamsSchema.parse)
  return { id, roles: await revokeRole(ctx, id, role) }
})
