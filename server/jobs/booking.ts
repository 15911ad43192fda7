import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { chatRecipient } from '../services/auth/users'
import { claimReminder, expireHolds, getBooking } from '../services/booking'
import { bookingNoticeJob, bookingRefundJob, bookingReminderJob, expireBookingHoldsJob, waitlistOfferJob } from '../services/booking/jobs'
import { offerFreedSeat } from '../services/booking/waitlist'
import { refundAutomatically } from '../services/payments/refunds'
import { bookingMessage } from '../services/booking/messages'
import { systemContext } from '../services/context'
import { sendChatMessage } from '../services/notifications/chat'

export const bookingWorkers = [
  /** Holds nobody confirmed in time free their slots. */
  jobWorker(expireBookingHoldsJob, async (_data, { services, logger }: JobContext<JobDeps>) => {
    const expired = await expireHolds(systemContext(services, 'booking.expire-holds'))
    if (expired.length) logger.info('expired booking holds', { bookings: expired })
  }),
  /**
   * A reminder goes out only for a booking still confirmed at the start it was planned for, and
   * once per offset and start (claimed in the database before sending), so a stale job after a
   * reschedule, a retry or a second replica sends nothing.
   */
  jobWorker(bookingReminderJob, async ({ bookingId, startsAt, offsetMinutes }, { services, logger }: JobContext<JobDeps>) => {
    const ctx = systemContext(services, 'booking.reminder')
    if (!(await claimReminder(ctx, bookingId, startsAt, offsetMinutes))) return
    const booking = await getBooking(services.db, bookingId)
    const customer = await chatRecipient(services.db, booking.userId)
    if (!customer || customer.blocked) return
    const message = bookingMessage(booking, 'reminder', customer.locale, services.config.publicUrl)
    if ((await sendChatMessage(services, customer.id, message.text, message.extra)) === 'blocked') logger.info('customer blocked the bot; not writing again', { userId: customer.id })
  }),
  /** The customer hears about a booking's change in the chat, unless it moved again since (then the newer notice tells). */
  jobWorker(bookingNoticeJob, async ({ bookingId, notice, startsAt }, { services }: JobContext<JobDeps>) => {
    const booking = await getBooking(services.db, bookingId)
    if ((notice === 'confirmed' || notice === 'rescheduled') && (booking.status !== 'confirmed' || booking.startsAt.toISOString() !== startsAt)) return
    // A waitlist offer taken, let go or run out before the message went is not offered any more.
    if (notice === 'offered' && booking.status !== 'held') return
    const customer = await chatRecipient(services.db, booking.userId)
    if (!customer || customer.blocked) return
    const message = bookingMessage(booking, notice, customer.locale, services.config.publicUrl)
    await sendChatMessage(services, customer.id, message.text, message.extra)
  }),
  /** A freed seat goes to the first customer in line (the entry locked and marked in the offer's transaction). */
  jobWorker(waitlistOfferJob, async ({ serviceId, resourceId, startsAt }, { services, logger }: JobContext<JobDeps>) => {
    const hold = await offerFreedSeat(systemContext(services, 'booking.waitlist-offer'), { serviceId, resourceId, startsAt: new Date(startsAt) })
    if (hold) logger.info('offered a freed booking seat from the waitlist', { bookingId: hold.id, userId: hold.userId })
  }),
  /** A prepayment owed back: the payments module refunds it (Stars) or hands it to the operators (card); a Telegram failure throws and the job retries. */
  jobWorker(bookingRefundJob, async ({ paymentId, bookingId, reason }, { services, logger }: JobContext<JobDeps>) => {
    const result = await refundAutomatically(systemContext(services, 'booking.refund'), paymentId, reason)
    logger.info('booking prepayment refund', { paymentId, bookingId, status: result.status })
  }),
]
