import { AdminUsersQuerySchema, type AdminUserItem } from '#shared/schemas/auth'
import { listUsers } from '#server/services/auth/users'

/** Users with their roles, for granting and removing roles in /admin. */
export default defineEventHandler(async (event): Promise<{ items: AdminUserItem[] }> => {
  await requireRole(event, 'roles.manage')
  const query = await getValidatedQuery(event, AdminUsersQuerySchema.parse)
  const services = await useServices()
  return { items: await listUsers(services.db, query) }
})
