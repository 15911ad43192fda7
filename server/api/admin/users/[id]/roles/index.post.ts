import { GrantRoleSchema, UserIdParamsSchema } from '#shared/schemas/auth'
import { grantRole } from '#server/services/auth/roles'

/** Grants a role (audited). Only an owner may grant `owner`. */
export default defineEventHandler(async (event) => {
  const ctx = await staffContext(event, 'roles.manage')
  const { id } = await getValidatedRouterParams(event, UserIdParamsSchema.parse)
  const { role } = await readValidatedBody(event, GrantRoleSchema.parse)
  return { id, roles: await grantRole(ctx, id, role) }
})
