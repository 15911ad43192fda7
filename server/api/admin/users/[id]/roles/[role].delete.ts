import { UserRoleParamsSchema } from '#shared/schemas/auth'
import { auditContext, requireRole } from '../../../../../utils/auth'
import { useServices } from '../../../../../utils/runtime'
import { revokeRole } from '../../../../../services/auth/roles'

/** Removes a role (audited); takes effect on the user's next request. The last owner stays. */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'roles.manage')
  const { id, role } = await getValidatedRouterParams(event, UserRoleParamsSchema.parse)
  const services = await useServices()
  const audit = auditContext(event, services, actor)
  const roles = await revokeRole(services.db, {
    actor: { ...audit, actorId: actor.user.id, roles: actor.roles },
    targetId: id,
    role,
    pinnedOwnerIds: services.config.adminTelegramIds,
  })
  return { id, roles }
})
