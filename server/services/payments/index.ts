/**
 * Payments as operators read them. The writes live beside this file: invoices (./invoice.ts),
 * Telegram's checkout questions (./checkout.ts), recording a payment (./record.ts), refunds
 * (./refunds.ts), reports (./reports.ts) and the Stars reconciliation (./reconcile.ts).
 */
import { and, eq, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { preparedPer } from '../../db/prepared'
import { payments, refunds } from '../../db/schema/payments'
import { DomainError } from '../../utils/errors'
import { userNames } from '../auth/users'
import { ordersByIds } from '../orders'

/** A payment with its refunds and the order it paid for (number, status and the customer's contact, for operators). */
export async function getPayment(db: DbOrTx, paymentId: number) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId))
  if (!payment) throw new DomainError('not_found', 'No such payment')
  const refundRows = await db.select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(refunds.id)
  // Who refunded, by name (a refund Telegram reported itself has no actor).
  const names = await userNames(db, refundRows.flatMap((r) => (r.actorId ? [r.actorId] : [])))
  const [order] = payment.orderId ? await ordersByIds(db, [payment.orderId]) : []
  return {
    ...payment,
    orderNumber: order?.number ?? null,
    order: order ? { id: order.id, number: order.number, status: order.status, contactName: order.contactName, contactPhone: order.contactPhone } : null,
    refunds: refundRows.map((refund) => ({ ...refund, actorName: (refund.actorId && names.get(refund.actorId)) || null })),
  }
}

/** A refund with its payment and the number of the order it belongs to (for the customer's message). */
export async function getRefund(db: DbOrTx, refundId: number) {
  const [row] = await db.select({ refund: refunds, payment: payments }).from(refunds).innerJoin(payments, eq(payments.id, refunds.paymentId)).where(eq(refunds.id, refundId))
  if (!row) throw new DomainError('not_found', 'No such refund')
  const [order] = row.payment.orderId ? await ordersByIds(db, [row.payment.orderId]) : []
  return { ...row.refund, payment: row.payment, orderNumber: order?.number ?? null }
}

// Read for every receipt a payment sets off: built once.
const paymentsOfOrder = preparedPer((db) => db.select().from(payments).where(eq(payments.orderId, sql.placeholder('orderId'))).orderBy(payments.id).prepare('payments_of_order'))
const refundsOfPayment = preparedPer((db) => db.select().from(refunds).where(eq(refunds.paymentId, sql.placeholder('paymentId'))).orderBy(refunds.id).prepare('refunds_of_payment'))

/** The payments of an order with their refunds, oldest first (for the order's receipt). */
export async function paymentsForOrder(db: DbOrTx, orderId: number) {
  const rows = await paymentsOfOrder(db).execute({ orderId })
  const out = []
  for (const payment of rows) out.push({ ...payment, refunds: await refundsOfPayment(db).execute({ paymentId: payment.id }) })
  return out
}

/** A booking's prepayments that still hold money to give back (not flagged, not fully refunded). */
export async function refundableBookingPayments(db: DbOrTx, bookingId: number): Promise<number[]> {
  const rows = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), sql`${payments.flag} is null`, sql`${payments.refundedMinor} < ${payments.amountMinor}`))
  return rows.map((r) => r.id)
}
