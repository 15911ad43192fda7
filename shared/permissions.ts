/**
 * Who may do what, in one place. Every admin route asks `can(roles, permission)` through
 * `requireRole`; the /admin UI reads the same table to hide what a role cannot use.
 */
export const ROLES = ['owner', 'admin', 'manager', 'operator', 'staff'] as const
export type Role = (typeof ROLES)[number]

const ALL_STAFF = ROLES
const OFFICE = ['owner', 'admin', 'manager', 'operator'] as const
const MANAGEMENT = ['owner', 'admin', 'manager'] as const
const TOP = ['owner', 'admin'] as const

/** Permission -> roles that hold it. Owners hold everything; `staff` are field employees. */
export const PERMISSIONS = {
  /** Open /admin at all (sign-in links are only sent to these roles). */
  'admin.access': ALL_STAFF,
  'audit.read': TOP,
  'roles.manage': TOP,
  'settings.write': TOP,
  'integrations.manage': TOP,
  /** Write, preview, schedule and cancel broadcasts to customers who opted in to news. */
  'broadcasts.manage': TOP,
  /** The system page: queues, failed jobs and updates (retry, replay), webhook, backups. */
  'system.manage': TOP,
  'payments.refund': TOP,
  'payments.read': MANAGEMENT,
  'catalog.write': MANAGEMENT,
  'reports.read': MANAGEMENT,
  'forms.manage': MANAGEMENT,
  'orders.read': OFFICE,
  /** The customer card: profile, history, documents, notes. */
  'customers.read': OFFICE,
  /** Attach and revoke customers' documents, write notes. */
  'customers.manage': OFFICE,
  'orders.manage': OFFICE,
  'bookings.manage': OFFICE,
  /** Booking's services, staff schedules and dated exceptions. */
  'bookings.setup': TOP,
  /** Staff calendar feeds: secret URLs that show a specialist's bookings outside /admin. */
  'bookings.feeds': TOP,
  'support.reply': OFFICE,
  /** The answer base and the support hours. */
  'support.manage': MANAGEMENT,
  /** See and handle submissions (status, assignee, CSV). */
  'forms.submissions': OFFICE,
  'forms.fill': ALL_STAFF,
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

/** Whether any of `roles` grants `permission`. */
export function can(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission]
  return roles.some((role) => allowed.includes(role))
}

/** Roles that make someone staff (anyone with a role at all). */
export const isStaff = (roles: readonly Role[]) => can(roles, 'admin.access')

/** Only an owner may grant or remove the owner role; owners and admins manage the others. */
export function canManageRole(actorRoles: readonly Role[], role: Role): boolean {
  if (role === 'owner') return actorRoles.includes('owner')
  return can(actorRoles, 'roles.manage')
}
