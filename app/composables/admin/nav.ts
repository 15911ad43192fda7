import type { Permission } from '#shared/permissions'
import type { AdminMessageKey } from './i18n'
import { useAdminSession } from './session'

interface Section {
  to: string
  label: AdminMessageKey
  permission: Permission
  /** Paths under `to` that are another section's (reports sit under payments). */
  except?: string | string[]
  exact?: boolean
}
const SECTIONS: Section[] = [
  { to: '/admin', label: 'nav.dashboard', permission: 'admin.access', exact: true },
  { to: '/admin/orders', label: 'nav.orders', permission: 'orders.read' },
  { to: '/admin/customers', label: 'nav.customers', permission: 'customers.read' },
  { to: '/admin/bookings', label: 'nav.bookings', permission: 'bookings.manage', except: ['/admin/bookings/reports', '/admin/bookings/feeds'] },
  { to: '/admin/bookings/reports', label: 'nav.bookingReports', permission: 'reports.read' },
  { to: '/admin/bookings/feeds', label: 'nav.bookingFeeds', permission: 'bookings.feeds' },
  { to: '/admin/support', label: 'nav.support', permission: 'support.reply' },
  { to: '/admin/payments', label: 'nav.payments', permission: 'payments.read', except: '/admin/payments/reports' },
  { to: '/admin/payments/reports', label: 'nav.reports', permission: 'reports.read' },
  { to: '/admin/catalog', label: 'nav.catalog', permission: 'catalog.write', except: '/admin/catalog/categories' },
  { to: '/admin/catalog/categories', label: 'nav.categories', permission: 'catalog.write' },
  { to: '/admin/forms', label: 'nav.forms', permission: 'forms.manage', except: '/admin/forms/submissions' },
  { to: '/admin/forms/submissions', label: 'nav.submissions', permission: 'forms.submissions' },
  { to: '/admin/business', label: 'nav.business', permission: 'settings.write' },
  { to: '/admin/delivery', label: 'nav.delivery', permission: 'settings.write' },
  { to: '/admin/legal', label: 'nav.legal', permission: 'settings.write' },
  { to: '/admin/integrations', label: 'nav.integrations', permission: 'integrations.manage' },
  { to: '/admin/broadcasts', label: 'nav.broadcasts', permission: 'broadcasts.manage' },
  { to: '/admin/webhooks', label: 'nav.webhooks', permission: 'integrations.manage' },
  { to: '/admin/users', label: 'nav.users', permission: 'roles.manage' },
  { to: '/admin/audit', label: 'nav.audit', permission: 'audit.read' },
  { to: '/admin/system', label: 'nav.system', permission: 'system.manage' },
]

/** The admin's sections the signed-in role may open (shared/permissions.ts), and the one on screen. */
export function useAdminSections() {
  const session = useAdminSession()
  const route = useRoute()
  const visible = computed(() => SECTIONS.filter((s) => session.can(s.permission)))
  const isActive = (s: Section) => (s.exact ? route.path === s.to : route.path.startsWith(s.to) && ![s.except ?? []].flat().some((e) => route.path.startsWith(e)))
  const current = computed(() => SECTIONS.find(isActive) ?? null)
  return { visible, isActive, current }
}
