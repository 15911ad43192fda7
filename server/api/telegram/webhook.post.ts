import { timingSafeEqual } from 'node:crypto'
import { acceptUpdate, answerInWebhook, handleClaimedUpdate } from '#server/services/telegram/intake'
import { TelegramUpdateSchema } from '#server/services/telegram/updates'
import { answeredWithin } from '#server/utils/infrastructure'

/**
 * On PostgreSQL, longer than this to store an update means the server is gone (normally well under
 * a second, a burst included; postgres.js queues statements behind its reconnect attempts, and
 * the intake's group commit would hold every update behind one of them): Telegram gets 503 and
 * delivers it again, and the breaker opens for later requests. PGlite runs in the process and is
 * never unreachable: a slow answer there means busy, and the update waits for its row.
 */
const INTAKE_WAIT_MS = 5000
/** Telegram's updates are small; anything larger than this is not from Telegram. */
const MAX_UPDATE_BYTES = 1024 * 1024

function secretMatches(received: string | undefined, expected: string) {
  if (!received) return false
  const a = Buffer.from(received)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Telegram -> us. The update is stored (deduped by update_id) before we answer 200; handling
 * runs after the answer and is retried from the stored copy if it fails. A pre-checkout query is
 * answered in the 200 itself (`answerInWebhook`): Telegram runs the `method` it finds there.
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  if (!secretMatches(getHeader(event, 'x-telegram-bot-api-secret-token'), services.telegram.webhookSecret)) {
    throw apiError('webhook_secret_mismatch', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong')
  }
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_UPDATE_BYTES) throw apiError('payload_too_large', 'Update too large')
  const update = await readValidatedBody(event, TelegramUpdateSchema.parse)
  const within = <T>(step: Promise<T>) => (services.database.kind === 'postgres' ? answeredWithin(step, INTAKE_WAIT_MS) : step)
  const reply = await within(answerInWebhook(services, update))
  if (reply) return reply
  const { stored, claimed } = await within(acceptUpdate(services, update))
  if (claimed) services.track(handleClaimedUpdate(services, claimed).catch((error) => services.logger.error('update handling crashed', { updateId: update.update_id, error })))
  return { ok: true, duplicate: !stored }
})
