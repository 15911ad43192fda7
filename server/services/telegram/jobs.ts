import { z } from 'zod'
import { defineJob } from '../../jobs/queue'

/** Sets the webhook (or removes it for polling), the menu button and the commands. Retried until Telegram answers. */
export const configureTelegramJob = defineJob({
  name: 'telegram.configure',
  schema: z.object({}),
  queue: { retryLimit: 20, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 },
})

/** One more attempt at a stored update whose handling failed. */
export const retryTelegramUpdateJob = defineJob({
  name: 'telegram.retry-update',
  schema: z.object({ updateId: z.number().int() }),
  queue: { retryLimit: 3 },
})

/** Backstop: anything stored but never handled (a crash between storing and handling) is handled here. */
export const retryTelegramUpdatesJob = defineJob({
  name: 'telegram.sweep-updates',
  schema: z.object({}),
  cron: '* * * * *',
  queue: { retryLimit: 0, deadLetter: false },
})
