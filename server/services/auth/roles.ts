import { and, eq, isNull } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { adminSessions, userRoles, users } from '../../db/schema'
import { canManageRole, isStaff, type Role } from '#shared/permissions'
import { DomainError } from '../../utils/errors'
import { recordAudit, type AuditContext } from '../audit'
import { getRoles } from './users'

export interface RoleChange {
  /** Who asks, with the roles they hold right now. */
  actor: AuditContext & { actorId: number; roles: readonly Role[] }
  targetId: number
  role: Role
  /** ADMIN_TELEGRAM_IDS: owners pinned by configuration cannot be removed through the API. */
  pinnedOwnerIds?: readonly number[]
}

function assertMayManage(actorRoles: readonly Role[], role: Role) {
  if (!canManageRole(actorRoles, role)) {
    throw new DomainError('forbidden', role === 'owner' ? 'Only an owner may grant or remove the owner role' : 'Your role may not manage roles')
  }
}

const auditOf = ({ actorId, actorVia, requestId, ip }: RoleChange['actor']) => ({ actorId, actorVia, requestId, ip })

/** Grants a role (idempotent: granting a held role changes and audits nothing). Returns the user's roles. */
export async function grantRole(db: DbOrTx, change: RoleChange): Promise<Role[]> {
  assertMayManage(change.actor.roles, change.role)
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ id: users.telegramId }).from(users).where(eq(users.telegramId, change.targetId)).for('update')
    if (!target) throw new DomainError('not_found', 'No such user: they must open the Mini App or write to the bot first')
    const before = await getRoles(tx, change.targetId)
    const inserted = await tx.insert(userRoles).values({ telegramId: change.targetId, role: change.role, grantedBy: change.actor.actorId }).onConflictDoNothing().returning()
    if (!inserted.length) return before
    const after = await getRoles(tx, change.targetId)
    await recordAudit(tx, { ...auditOf(change.actor), action: 'role.grant', entityType: 'user', entityId: change.targetId, before: { roles: before }, after: { roles: after } })
    return after
  })
}

/**
 * Removes a role. The owner rows are locked first, so two owners removing each other at the same
 * time cannot leave the business without one. A user left with no role loses their /admin sessions.
 */
export async function revokeRole(db: DbOrTx, change: RoleChange): Promise<Role[]> {
  assertMayManage(change.actor.roles, change.role)
  if (change.role === 'owner' && change.pinnedOwnerIds?.includes(change.targetId)) {
    throw new DomainError('role_pinned', 'This owner is listed in ADMIN_TELEGRAM_IDS; remove them there first')
  }
  return db.transaction(async (tx) => {
    const [target] = await tx.select({ id: users.telegramId }).from(users).where(eq(users.telegramId, change.targetId)).for('update')
    if (!target) throw new DomainError('not_found', 'No such user')
    if (change.role === 'owner') {
      const owners = await tx.select({ id: userRoles.telegramId }).from(userRoles).where(eq(userRoles.role, 'owner')).for('update')
      if (owners.some((o) => o.id === change.targetId) && owners.length <= 1) throw new DomainError('last_owner', 'The last owner cannot lose the owner role')
    }
    const before = await getRoles(tx, change.targetId)
    const deleted = await tx.delete(userRoles).where(and(eq(userRoles.telegramId, change.targetId), eq(userRoles.role, change.role))).returning()
    if (!deleted.length) throw new DomainError('not_found', `The user does not hold the ${change.role} role`)
    const after = await getRoles(tx, change.targetId)
    if (!isStaff(after)) {
      await tx.update(adminSessions).set({ revokedAt: new Date() }).where(and(eq(adminSessions.telegramId, change.targetId), isNull(adminSessions.revokedAt)))
    }
    await recordAudit(tx, { ...auditOf(change.actor), action: 'role.revoke', entityType: 'user', entityId: change.targetId, before: { roles: before }, after: { roles: after } })
    return after
  })
}
