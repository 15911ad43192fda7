import type { Update } from 'telegraf/types'
import type { AppServices } from '../../composition-root'
import { retryTelegramUpdateJob } from './jobs'
import { claimUpdate, runClaimedUpdate, storeAndClaimUpdate, storeHandledUpdate, type StoredUpdate, type TelegramUpdate, type UpdateOutcome } from './updates'
import { answerPreCheckout, PreCheckoutQuerySchema } from '../payments/checkout'
import { infrastructureFailure } from '../../utils/infrastructure'

type ClaimedUpdate = Pick<StoredUpdate, 'updateId' | 'attempts' | 'payload'>

/**
 * Stores an update (deduped by update_id), leased to this process for its first handling. Only
 * after this resolves may Telegram get its 2xx. `stored` is false for a repeated update_id. No
 * `claimed` means nothing more to do: a repeat, or a repeated payment (a `successful_payment` whose
 * charge is recorded), which is stored as handled in the same statement (see `storeAndClaimUpdate`).
 */
export async function acceptUpdate(services: Pick<AppServices, 'db' | 'metrics'>, update: TelegramUpdate): Promise<{ stored: boolean; claimed?: ClaimedUpdate }> {
  const row = await storeAndClaimUpdate(services.db, update)
  services.metrics.telegramUpdates.inc({ result: row ? 'stored' : 'duplicate' })
  if (row?.status === 'done') services.metrics.telegramUpdates.inc({ result: 'done' })
  return { stored: Boolean(row), claimed: row?.status === 'processing' ? row : undefined }
}

/** A Bot API call Telegram makes for us when the webhook's 200 carries it (`method` + parameters). */
export type WebhookReply = { method: 'answerPreCheckoutQuery'; pre_checkout_query_id: string; ok: boolean; error_message?: string }

/**
 * The pre-checkout fast path: "may this be paid?" is answered in the webhook's own response, which
 * Telegram executes as a Bot API call, so the payer waits for one read and one grouped insert, not
 * for the bot's queue and a request of our own to Telegram. The update is stored as done (the record
 * and the dedupe; a redelivery is answered again, which is harmless). Undefined when the update is
 * not one, or its check failed for a reason other than the database: it then takes the ordinary
 * path (stored, handled by the bot, retried). A database failure propagates (Telegram gets a 5xx
 * and delivers again).
 */
export async function answerInWebhook(services: Pick<AppServices, 'db' | 'metrics' | 'logger'>, update: TelegramUpdate): Promise<WebhookReply | undefined> {
  if (!('pre_checkout_query' in update)) return undefined
  const query = PreCheckoutQuerySchema.safeParse(update.pre_checkout_query)
  if (!query.success) return undefined
  let answer
  try {
    answer = await answerPreCheckout(services.db, services.logger, query.data)
  } catch (error) {
    if (infrastructureFailure(error)) throw error
    services.logger.error('pre-checkout check crashed; the bot will handle the update', { updateId: update.update_id, error })
    return undefined
  }
  const stored = await storeHandledUpdate(services.db, update)
  services.metrics.telegramUpdates.inc({ result: stored ? 'stored' : 'duplicate' })
  if (stored) services.metrics.telegramUpdates.inc({ result: 'done' })
  return { method: 'answerPreCheckoutQuery', ...answer }
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
