import { jobWorker, type JobContext } from './queue'
import type { JobDeps } from '../composition-root'
import { chatRecipient, listStaffIds } from '../services/auth/users'
import { getPayment } from '../services/payments'
import { paymentFlaggedJob, reconcileStarsJob } from '../services/payments/jobs'
import { reconcileStars } from '../services/payments/reconcile'
import { chatMessageJob } from '../services/notifications/jobs'
import { paymentFlaggedMessages } from '../services/notifications/order-status'

export const paymentWorkers = [
  /** A flagged payment: every owner and admin, and the customer, get a message each (one job per chat). */
  jobWorker(paymentFlaggedJob, async ({ paymentId }, { services }: JobContext<JobDeps>) => {
    const payment = await getPayment(services.db, paymentId)
    if (!payment.flag) return
    const texts = paymentFlaggedMessages(payment)
    const staff = await Promise.all((await listStaffIds(services.db, ['owner', 'admin'])).map((id) => chatRecipient(services.db, id)))
    const customer = await chatRecipient(services.db, payment.userId)
    const messages = [...staff.flatMap((r) => (r && !r.blocked ? [{ chatId: r.id, text: texts.staff[r.locale] }] : [])), ...(customer && !customer.blocked ? [{ chatId: customer.id, text: texts.customer[customer.locale] }] : [])]
    for (const message of messages) await services.queue.enqueue(chatMessageJob, message, { singletonKey: `payment-flag-${paymentId}-${message.chatId}`, singletonSeconds: 7 * 24 * 3600 })
  }),
  jobWorker(reconcileStarsJob, async (_data, { services, logger }: JobContext<JobDeps>) => {
    const report = await reconcileStars(services.db, services.bot)
    if (report.differences.length) logger.warn('Stars reconciliation found differences', { count: report.differences.length, id: report.id })
  }),
]
