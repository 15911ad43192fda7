import { jobWorker } from './queue'
import type { JobDeps } from '../composition-root'
import { configureTelegramJob, retryTelegramUpdateJob, retryTelegramUpdatesJob } from '../services/telegram/jobs'
import { configureTelegram } from '../services/telegram/configure'
import { dueUpdateIds } from '../services/telegram/updates'
import { handleStoredUpdate } from '../services/telegram/intake'

export const telegramWorkers = [
  jobWorker(configureTelegramJob, async (_data, { services }: JobDeps) => {
    await configureTelegram(services)
  }),
  jobWorker(retryTelegramUpdateJob, async ({ updateId }, { services }: JobDeps) => {
    await handleStoredUpdate(services, updateId)
  }),
  jobWorker(retryTelegramUpdatesJob, async (_data, { services }: JobDeps) => {
    for (const updateId of await dueUpdateIds(services.db, 200)) await handleStoredUpdate(services, updateId)
  }),
]
