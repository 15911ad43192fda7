/**
 * Defence in depth for /api/admin/**: nobody without a staff role reaches an admin handler, even
 * one that forgot its own `requireRole(event, <permission>)` (tests/e2e/admin-routes.test.ts
 * fails the build for such a route anyway).
 */
export default defineEventHandler(async (event) => {
  if (event.path.startsWith('/api/admin/') || event.path === '/api/admin') await requireRole(event, 'admin.access')
})
