import type { AppServices } from '../../utils/runtime'
import { handleBotUpdate } from '../../bot'
import { retryTelegramUpdateJob } from '../../jobs'
import { processStoredUpdate, storeUpdate, type TelegramUpdate } from './updates'

/** Stores an update (deduped by update_id). Only after this resolves may Telegram get its 2xx. */
export async function acceptUpdate(services: Pick<AppServices, 'db' | 'metrics'>, update: TelegramUpdate) {
  const stored = await storeUpdate(services.db, update)
  services.metrics.telegramUpdates.inc({ result: stored ? 'stored' : 'duplicate' })
  return stored
}

/**
 * Runs the bot on a stored update. A failure is recorded on the update and a retry is queued for
 * the moment its backoff ends; the periodic sweep catches anything a crash left behind.
 */
export async function handleStoredUpdate(services: AppServices, updateId: number) {
  const outcome = await processStoredUpdate(services.db, updateId, (update) => handleBotUpdate(services.bot, update))
  if (outcome.status === 'done') services.metrics.telegramUpdates.inc({ result: 'done' })
  if (outcome.status === 'failed') {
    services.metrics.telegramUpdates.inc({ result: 'failed' })
    services.logger.warn('telegram update failed; will retry', { updateId, attempts: outcome.attempts, error: outcome.error })
    const delaySeconds = Math.min(5 * 2 ** Math.max(0, outcome.attempts - 1), 3600)
    await services.queue
      .enqueue(retryTelegramUpdateJob, { updateId }, { startAfter: delaySeconds, singletonKey: `update-${updateId}-${outcome.attempts}` })
      .catch((error) => services.logger.error('could not queue update retry; the sweep will pick it up', { updateId, error }))
  }
  return outcome.status
}
