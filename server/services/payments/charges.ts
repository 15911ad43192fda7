/**
 * What the webhook's intake needs to know about payments, without the rest of the payments module:
 * the charge a `successful_payment` update carries, and whether it is recorded. The intake stores an
 * update whose charge is recorded already as handled: recordSuccessfulPayment would answer
 * `duplicate` from the same lookup before anything else, so running the bot on it changes nothing.
 */
import { sql, type SQL } from 'drizzle-orm'
import { payments } from '../../db/schema/payments'

/** The `telegram_payment_charge_id` of a `successful_payment` update; null for any other update. */
export function chargeOfUpdate(update: Record<string, unknown>): string | null {
  const message = update.message
  if (!message || typeof message !== 'object') return null
  const paid = (message as { successful_payment?: unknown }).successful_payment
  if (!paid || typeof paid !== 'object') return null
  const charge = (paid as { telegram_payment_charge_id?: unknown }).telegram_payment_charge_id
  return typeof charge === 'string' ? charge : null
}

/** SQL that is true when the charge in `charge` (an SQL expression, null for no charge) is recorded; for the intake's statement. */
export function chargeRecordedSql(charge: SQL): SQL {
  return sql`exists (select 1 from ${payments} p where p.telegram_payment_charge_id = ${charge})`
}
