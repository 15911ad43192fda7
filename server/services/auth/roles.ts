import { and, eq, isNull } from 'drizzle-orm'
import { adminSessions, userRoles, users } from '../../db/schema/auth'
import { canManageRole, isStaff, type Role } from '#shared/permissions'
import { DomainError } from '../../utils/errors'
import { write, type ServiceContext } from '../context'
import { getRoles } from './users'
import { userChangedHere } from './user-cache'

/** The roles of whoever asks: only staff manage roles, and only as far as their own roles allow. */
function actorRoles(ctx: ServiceContext): readonly Role[] {
  return ctx.actor.kind === 'staff' ? ctx.actor.roles : []
}

function assertMayManage(actorRoles: readonly Role[], role: Role) {
  if (!canManageRole(actorRoles, role)) {
    throw new DomainError('forbidden', role === 'owner' ? 'Only an owner may grant or remove the owner role' : 'Your role may not manage roles')
  }
}

/** Grants a role (idempotent: granting a held role changes and audits nothing). Returns the user's roles. */
export async function grantRole(ctx: ServiceContext, targetId: number, role: Role): Promise<Role[]> {
  assertMayManage(actorRoles(ctx), role)
  return write(ctx, async (w) => {
    const [target] = await w.db.select({ id: users.telegramId }).from(users).where(eq(users.telegramId, targetId)).for('update')
    if (!target) throw new DomainError('not_found', 'No such user: they must open the Mini App or write to the bot first')
    const before = await getRoles(w.db, targetId)
    const inserted = await w.db.insert(userRoles).values({ telegramId: targetId, role, grantedBy: w.actor.userId }).onConflictDoNothing().returning()
    if (!inserted.length) return before
    w.afterCommit(() => userChangedHere(w.root, targetId))
    const after = await getRoles(w.db, targetId)
    await w.audit({ action: 'role.grant', entityType: 'user', entityId: targetId, before: { roles: before }, after: { roles: after } })
    return after
  })
}

/**
 * Removes a role. The owner rows are locked first, so two owners removing each other at the same
 * time cannot leave the business without one. A user left with no role loses their /admin sessions.
 */
export async function revokeRole(ctx: ServiceContext, targetId: number, role: Role): Promise<Role[]> {
  assertMayManage(actorRoles(ctx), role)
  // ADMIN_TELEGRAM_IDS: owners pinned by configuration cannot be removed through the API.
  if (role === 'owner' && ctx.config.adminTelegramIds.includes(targetId)) {
    throw new DomainError('role_pinned', 'This owner is listed in ADMIN_TELEGRAM_IDS; remove them there first')
  }
  return write(ctx, async (w) => {
    const [target] = await w.db.select({ id: users.telegramId }).from(users).where(eq(users.telegramId, targetId)).for('update')
    if (!target) throw new DomainError('not_found', 'No such user')
    if (role === 'owner') {
      const owners = await w.db.select({ id: userRoles.telegramId }).from(userRoles).where(eq(userRoles.role, 'owner')).for('update')
      if (owners.some((o) => o.id === targetId) && owners.length <= 1) throw new DomainError('last_owner', 'The last owner cannot lose the owner role')
    }
    const before = await getRoles(w.db, targetId)
    const deleted = await w.db.delete(userRoles).where(and(eq(userRoles.telegramId, targetId), eq(userRoles.role, role))).returning()
    if (!deleted.length) throw new DomainError('not_found', `The user does not hold the ${role} role`)
    w.afterCommit(() => userChangedHere(w.root, targetId))
    const after = await getRoles(w.db, targetId)
    if (!isStaff(after)) {
      await w.db.update(adminSessions).set({ revokedAt: new Date() }).where(and(eq(adminSessions.telegramId, targetId), isNull(adminSessions.revokedAt)))
    }
    await w.audit({ action: 'role.revoke', entityType: 'user', entityId: targetId, before: { roles: before }, after: { roles: after } })
    return after
  })
}
