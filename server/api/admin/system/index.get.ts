import type { SystemOverview } from '#shared/schemas/system'
import { systemOverview } from '#server/services/system'

/** The system page: version, uptime, migrations, queues and failed jobs, Telegram updates and webhook, backups. */
export default defineEventHandler(async (event): Promise<SystemOverview> => {
  await requireRole(event, 'system.manage')
  const services = await useServices()
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return systemOverview({ database: services.database, queue: services.queue, bot: services.bot, config: services.config, pollingHere: services.pollingHere() })
})
