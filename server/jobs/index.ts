import { z } from 'zod'
import type { AppServices } from '../utils/runtime'
import { defineJob } from './queue'
import { configureTelegram } from '../services/telegram/configure'
import { dueUpdateIds } from '../services/telegram/updates'
import { handleStoredUpdate } from '../services/telegram/intake'
import { pruneAdminLogins } from '../services/auth/admin-login'
import { pruneRateLimits } from '../services/auth/rate-limit'

/** What every job handler gets besides its payload. */
export interface JobDeps {
  services: AppServices
}

/** Sets the webhook (or removes it for polling), the menu button and the commands. Retried until Telegram answers. */
export const configureTelegramJob = defineJob({
  name: 'telegram.configure',
  schema: z.object({}),
  queue: { retryLimit: 20, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 },
  async handle(_data, { services }: JobDeps) {
    await configureTelegram(services)
  },
})

/** One more attempt at a stored update whose handling failed. */
export const retryTelegramUpdateJob = defineJob({
  name: 'telegram.retry-update',
  schema: z.object({ updateId: z.number().int() }),
  queue: { retryLimit: 3 },
  async handle({ updateId }, { services }: JobDeps) {
    await handleStoredUpdate(services, updateId)
  },
})

/** Backstop: anything stored but never handled (a crash between storing and handling) is handled here. */
export const retryTelegramUpdatesJob = defineJob({
  name: 'telegram.sweep-updates',
  schema: z.object({}),
  cron: '* * * * *',
  queue: { retryLimit: 0, deadLetter: false },
  async handle(_data, { services }: JobDeps) {
    for (const updateId of await dueUpdateIds(services.db, 200)) await handleStoredUpdate(services, updateId)
  },
})

/** Housekeeping for sign-in: ended rate-limit windows, old sign-in links and dead /admin sessions. */
export const pruneAuthJob = defineJob({
  name: 'auth.prune',
  schema: z.object({}),
  cron: '*/10 * * * *',
  queue: { retryLimit: 0, deadLetter: false },
  async handle(_data, { services }: JobDeps) {
    await pruneRateLimits(services.db)
    await pruneAdminLogins(services.db)
  },
})

export const jobDefinitions = [configureTelegramJob, retryTelegramUpdateJob, retryTelegramUpdatesJob, pruneAuthJob]
