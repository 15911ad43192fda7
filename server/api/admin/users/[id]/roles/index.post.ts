import { GrantRoleSchema, UserIdParamsSchema } from '#shared/schemas/auth'
import { auditContext, requireRole } from '../../../../../utils/auth'
import { useServices } from '../../../../../utils/runtime'
import { grantRole } from '../../../../../services/auth/roles'

/** Grants a role (audited). Only an owner may grant `owner`. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'roles.manage')
  const { id } = await getValidatedRouterParams(event, UserIdParamsSchema.parse)
  const { role } = await readValidatedBody(event, GrantRoleSchema.parse)
  const services = await useServices()
  const audit = auditContext(event, services, actor)
  const roles = await grantRole(services.db, { actor: { ...audit, actorId: actor.user.id, roles: actor.roles }, targetId: id, role })
  return { id, roles }
})
