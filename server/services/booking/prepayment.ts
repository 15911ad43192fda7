/**
 * A booking's prepayment through the payments module: the invoice (payload `booking:<id>`), the
 * answer to Telegram's pre-checkout question and the confirmation by `successful_payment`. The
 * payments module records the money; this file says what it means for the booking.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Locale } from '#shared/locale'
import type { DbOrTx } from '../../db/client'
import { bookings } from '../../db/schema/booking'
import { DomainError } from '../../utils/errors'
import type { WriteContext } from '../context'
import { confirmHeld, getBooking } from './index'
import { bookingWhen } from './messages'

/** What goes into the invoice payload and comes back in pre-checkout and success. */
export const bookingInvoicePayload = (bookingId: number) => `booking:${bookingId}`
export function parseBookingPayload(payload: string): number | undefined {
  const match = /^booking:(\d{1,10})$/.exec(payload)
  return match ? Number(match[1]) : undefined
}

/** Seconds a hold must still have for Telegram to be allowed to take the money. */
const PRE_CHECKOUT_MARGIN_SECONDS = 15
/** A hold Telegram said "yes" for is kept at least this long, so the success arrives while it stands. */
const PAYING_HOLD_MINUTES = 3

/**
 * The invoice for the prepayment of the customer's own hold, priced from the booking (the
 * service's prepayment when it was held). Opening the payment keeps the hold once for another
 * hold time, so a customer typing their card is not raced by the expiry.
 */
export async function bookingInvoice(db: DbOrTx, bookingId: number, userId: number, options: { providerToken: string; lang: Locale }) {
  const booking = await getBooking(db, bookingId, userId)
  if (booking.paidAt || booking.prepaymentMinor <= 0 || !booking.prepaymentCurrency) throw new DomainError('invalid_transition', 'This booking has nothing to pay', 409, { from: booking.status })
  if (booking.status !== 'held') throw new DomainError('invalid_transition', `A booking that is ${booking.status} cannot be paid`, 409, { from: booking.status })
  const [kept] = await db
    .update(bookings)
    .set({ paymentStartedAt: sql`coalesce(${bookings.paymentStartedAt}, now())`, holdExpiresAt: sql`case when ${bookings.paymentStartedAt} is null then greatest(${bookings.holdExpiresAt}, now() + make_interval(mins => ${booking.service.holdMinutes})) else ${bookings.holdExpiresAt} end` })
    .where(and(eq(bookings.id, bookingId), eq(bookings.status, 'held'), gt(bookings.holdExpiresAt, sql`now()`)))
    .returning()
  if (!kept) throw new DomainError('hold_expired', 'The time held for you ran out; pick the slot again', 409)
  const stars = booking.prepaymentCurrency === 'XTR'
  const title = `${options.lang === 'ru' ? 'Предоплата' : 'Prepayment'}: ${booking.service.name[options.lang]}`.slice(0, 32)
  const description = `${booking.service.name[options.lang]}, ${bookingWhen(booking, options.lang)}`.slice(0, 255)
  return {
    booking: { ...booking, holdExpiresAt: kept.holdExpiresAt, paymentStartedAt: kept.paymentStartedAt },
    invoice: {
      title,
      description,
      payload: bookingInvoicePayload(bookingId),
      provider_token: stars ? '' : options.providerToken,
      currency: booking.prepaymentCurrency,
      prices: [{ label: title, amount: booking.prepaymentMinor }],
    },
  }
}

export type BookingPreCheckoutRefusal = 'unknown_order' | 'wrong_user' | 'booking_not_payable' | 'booking_expired' | 'currency_mismatch' | 'amount_mismatch'

/**
 * Telegram asks "may this be paid?" for `booking:<id>`: the customer's own hold, alive for more
 * than a few seconds, not paid yet, for exactly the stored prepayment. The check and keeping the
 * hold for the few minutes the payment takes are one statement, so the expiry cannot slip between.
 */
export async function checkBookingPreCheckout(db: DbOrTx, bookingId: number, query: { fromId: number; currency: string; totalAmount: number }): Promise<{ ok: true; bookingId: number } | { ok: false; reason: BookingPreCheckoutRefusal }> {
  const [booking] = await db.select().from(bookings).where(eq(bookings.id, bookingId))
  if (!booking) return { ok: false, reason: 'unknown_order' }
  if (booking.userId !== query.fromId) return { ok: false, reason: 'wrong_user' }
  if (booking.status !== 'held' || booking.paidAt || booking.prepaymentMinor <= 0) return { ok: false, reason: 'booking_not_payable' }
  if (booking.prepaymentCurrency !== query.currency) return { ok: false, reason: 'currency_mismatch' }
  if (booking.prepaymentMinor !== query.totalAmount) return { ok: false, reason: 'amount_mismatch' }
  const [kept] = await db
    .update(bookings)
    .set({ holdExpiresAt: sql`greatest(${bookings.holdExpiresAt}, now() + make_interval(mins => ${PAYING_HOLD_MINUTES}))` })
    .where(and(eq(bookings.id, bookingId), eq(bookings.status, 'held'), isNull(bookings.paidAt), gt(bookings.holdExpiresAt, sql`now() + make_interval(secs => ${PRE_CHECKOUT_MARGIN_SECONDS})`)))
    .returning({ id: bookings.id })
  if (!kept) return { ok: false, reason: 'booking_expired' }
  return { ok: true, bookingId }
}

export const BOOKING_PRE_CHECKOUT_MESSAGES: Record<'booking_not_payable' | 'booking_expired', Record<Locale, string>> = {
  booking_not_payable: { ru: 'Эта запись уже оплачена или отменена — деньги не списаны.', en: 'This booking is already paid or cancelled; you have not been charged.' },
  booking_expired: { ru: 'Время брони истекло, и место освободилось. Выберите время заново.', en: 'The hold ran out and the seat was released. Please pick the time again.' },
}

/**
 * `successful_payment` for `booking:<id>`, inside the payments module's transaction that records
 * the payment: the hold becomes a confirmed, paid booking (reminders and the chat confirmation
 * queued with it). Returns why it cannot apply instead - the booking gone, expired, cancelled or
 * already paid, another customer, another amount - and the payment is then flagged and refunded.
 */
/** Whether a booking a payment names exists at all (a payment for a vanished one is kept, unlinked and flagged). */
export async function bookingExists(db: DbOrTx, bookingId: number): Promise<boolean> {
  const [row] = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.id, bookingId))
  return row !== undefined
}

export async function applyBookingPayment(w: WriteContext, bookingId: number, payment: { paymentId: number; userId: number; currency: string; totalAmount: number }, now = new Date()) {
  const [locked] = await w.db.select().from(bookings).where(eq(bookings.id, bookingId)).for('update')
  if (!locked) return 'booking_not_payable' as const
  if (locked.userId !== payment.userId) return 'wrong_user' as const
  if (locked.prepaymentCurrency !== payment.currency || locked.prepaymentMinor !== payment.totalAmount) return 'amount_mismatch' as const
  if (locked.paidAt || locked.status !== 'held') return 'booking_not_payable' as const
  const current = await getBooking(w.db, bookingId)
  const row = await confirmHeld(w, current, 'paid', { paidAt: now }, now, { paymentId: payment.paymentId, amountMinor: payment.totalAmount, currency: payment.currency })
  return row ? undefined : ('booking_not_payable' as const)
}
