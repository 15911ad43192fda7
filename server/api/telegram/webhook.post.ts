import { timingSafeEqual } from 'node:crypto'
import { acceptUpdate, handleClaimedUpdate } from '#server/services/telegram/intake'
import { TelegramUpdateSchema } from '#server/services/telegram/updates'
import { answeredWithin } from '#server/utils/infrastructure'

/**
 * Longer than this to store an update means the database is gone (normally well under a second,
 * a burst included): Telegram gets 503 and delivers it again, the breaker opens for later requests.
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
 * runs after the answer and is retried from the stored copy if it fails.
 */
export default defineEventHandler(async (event) => {
  const services = await useServices()
  if (!secretMatches(getHeader(event, 'x-telegram-bot-api-secret-token'), services.telegram.webhookSecret)) {
    throw apiError('webhook_secret_mismatch', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong')
  }
  if (Number(getHeader(event, 'content-length') ?? 0) > MAX_UPDATE_BYTES) throw apiError('payload_too_large', 'Update too large')
  const update = await readValidatedBody(event, TelegramUpdateSchema.parse)
  const claimed = await answeredWithin(acceptUpdate(services, update), INTAKE_WAIT_MS)
  if (claimed) services.track(handleClaimedUpdate(services, claimed).catch((error) => services.logger.error('update handling crashed', { updateId: update.update_id, error })))
  return { ok: true, duplicate: !claimed }
})
