import type { Update } from 'telegraf/types'
import type { AppServices } from '../../composition-root'
import { retryTelegramUpdateJob } from './jobs'
import { claimUpdate, runClaimedUpdate, storeAndClaimUpdate, type StoredUpdate, type TelegramUpdate, type UpdateOutcome } from './updates'

type ClaimedUpdate = Pick<StoredUpdate, 'updateId' | 'attempts' | 'payload'>

/**
 * Stores an update (deduped by update_id), leased to this process for its first handling. Only
 * after this resolves may Telegram get its 2xx. Undefined means a repeat: nothing more to do.
 */
export async function acceptUpdate(services: Pick<AppServices, 'db' | 'metrics'>, update: TelegramUpdate) {
  const claimed = await storeAndClaimUpdate(services.db, update)
  services.metrics.telegramUpdates.inc({ result: claimed ? 'stored' : 'duplicate' })
  return claimed
}

/** Runs the bot on an update we hold; a failure is recorded and a retry queued for when its backoff ends. */
export async function handleClaimedUpdate(services: AppServices, claimed: ClaimedUpdate) {
  const outcome = await runClaimedUpdate(services.db, claimed, (update) => services.bot.handleUpdate(update as unknown as Update))
  await recordOutcome(services, claimed.updateId, outcome)
  return outcome.status
}

/** Takes the lease on a stored update (a retry or the sweep) and handles it; `skipped` if someone else has it. */
export async function handleStoredUpdate(services: AppServices, updateId: number) {
  const claimed = await claimUpdate(services.db, updateId)
  if (!claimed) return 'skipped'
  return handleClaimedUpdate(services, claimed)
}

async function recordOutcome(services: AppServices, updateId: number, outcome: UpdateOutcome) {
  if (outcome.status === 'done') services.metrics.telegramUpdates.inc({ result: 'done' })
  if (outcome.status !== 'failed') return
  services.metrics.telegramUpdates.inc({ result: 'failed' })
  services.logger.warn('telegram update failed; will retry', { updateId, attempts: outcome.attempts, error: outcome.error })
  const delaySeconds = Math.min(5 * 2 ** Math.max(0, outcome.attempts - 1), 3600)
  await services.queue
    .enqueue(retryTelegramUpdateJob, { updateId }, { startAfter: delaySeconds, singletonKey: `update-${updateId}-${outcome.attempts}` })
    .catch((error) => services.logger.error('could not queue update retry; the sweep will pick it up', { updateId, error }))
}
