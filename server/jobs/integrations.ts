import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { chatRecipient, listStaffIds } from '../services/auth/users'
import { systemContext } from '../services/context'
import { deliverOnce } from '../services/integrations/delivery'
import { deliverIntegrationEventJob, integrationAlertJob, probeIntegrationsJob, pruneIntegrationEventsJob, warehouseStockSyncJob } from '../services/integrations/jobs'
import { probeConnectors } from '../services/integrations/probe'
import { applyStockSync } from '../services/integrations/warehouse'
import { chatMessageJob } from '../services/notifications/jobs'
import { DomainError } from '../utils/errors'
import { pruneIntegrationEvents } from '../services/integrations/admin'

const PARTNER_NAMES = { crm: 'CRM', warehouse: 'склад / warehouse', billing: 'чеки / billing', mailing: 'рассылки / mailing', maps: 'карты / maps', webhook: 'вебхуки / webhooks' } as const

export const integrationWorkers = [
  jobWorker(deliverIntegrationEventJob, async ({ deliveryId }, { services, logger }: JobContext<JobDeps>) => {
    const outcome = await deliverOnce(services, deliveryId)
    if (outcome !== 'delivered' && outcome !== 'skipped') logger.info('integration delivery', { deliveryId, outcome })
  }),
  /** One message per owner and admin, once per degradation of a connector. */
  jobWorker(integrationAlertJob, async ({ connector, reason }, { services }: JobContext<JobDeps>) => {
    const staff = await Promise.all((await listStaffIds(services.db, ['owner', 'admin'])).map((id) => chatRecipient(services.db, id)))
    const texts = {
      ru: `⚠️ Интеграция «${PARTNER_NAMES[connector]}»: партнёр изменил формат ответа. Отправки остановлены и ждут в /admin → Интеграции.\n${reason}`,
      en: `⚠️ Integration "${PARTNER_NAMES[connector]}": the partner changed its format. Deliveries are held in /admin → Integrations.\n${reason}`,
    }
    for (const r of staff) {
      if (!r || r.blocked) continue
      await services.queue.enqueue(chatMessageJob, { chatId: r.id, text: texts[r.locale].slice(0, 4000) }, { singletonKey: `integration-alert-${connector}-${r.id}`, singletonSeconds: 3600 })
    }
  }),
  jobWorker(warehouseStockSyncJob, async ({ reason }, { services, logger }: JobContext<JobDeps>) => {
    if (!services.config.integrations.moysklad) return
    try {
      const result = await applyStockSync(systemContext(services, `integrations.warehouse-sync:${reason}`))
      if (result.applied && result.changes.length) logger.info('warehouse stock applied', { changes: result.changes.length })
    } catch (error) {
      // Quarantined and alerted already: retrying would only quarantine the same report again.
      if (error instanceof DomainError && error.code === 'partner_contract_changed') return logger.warn('warehouse report quarantined', { message: error.message })
      throw error
    }
  }),
  jobWorker(probeIntegrationsJob, async (_data, { services, logger }: JobContext<JobDeps>) => {
    const failed = (await probeConnectors(systemContext(services, 'integrations.probe'))).filter((r) => !r.ok)
    if (failed.length) logger.warn('integration probe found problems', { failed })
  }),
  jobWorker(pruneIntegrationEventsJob, async (_data, { services, logger }: JobContext<JobDeps>) => {
    const removed = await pruneIntegrationEvents(services.db)
    if (removed.events) logger.info('pruned integration history', removed)
  }),
]
