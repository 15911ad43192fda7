import { reconcileStars } from '#server/services/payments/reconcile'

/**
 * Runs the Stars reconciliation now (the daily job's check, on an operator's request) and returns
 * its report: Telegram's Star transactions of the last 30 days against our Stars payments.
 */
export default defineEventHandler(async (event) => {
  const actor = await requireRole(event, 'payments.read')
  const services = await useServices()
  await enforceRateLimit(event, services, [{ key: `reconcile:user:${actor.user.id}`, ...RATE_LIMITS.reconcilePerUser }])
  const report = await reconcileStars(services.db, services.bot)
  services.logger.info('stars reconciliation run by an operator', { actorId: actor.user.id, reportId: report.id, differences: report.differences.length })
  setResponseStatus(event, 201)
  return report
})
