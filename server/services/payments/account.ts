import { eq, inArray, sql } from 'drizzle-orm'
import { payments, refunds } from '../../db/schema/payments'
import type { AccountSection } from '../account/registry'
import { toPaymentDto } from './dto'

/** The payments module's part of the personal account: the customer's payments in the export; kept, anonymised, on deletion. */
export const paymentsAccountSection: AccountSection = {
  key: 'payments',
  async exportData(db, userId) {
    const rows = await db.select().from(payments).where(eq(payments.userId, userId)).orderBy(payments.id)
    const refundRows = rows.length ? await db.select().from(refunds).where(inArray(refunds.paymentId, rows.map((r) => r.id))) : []
    return rows.map((p) => ({
      ...toPaymentDto(p),
      refunds: refundRows.filter((r) => r.paymentId === p.id).map((r) => ({ amountMinor: r.amountMinor, reason: r.reason, status: r.status, createdAt: r.createdAt })),
    }))
  },
  async erase(w, userId, placeholderId) {
    // Amounts, currency and charge ids stay for accounting; Telegram's order_info (name, phone, email, address) goes.
    const moved = await w.db
      .update(payments)
      .set({ userId: placeholderId, raw: sql`${payments.raw} - 'order_info'` })
      .where(eq(payments.userId, userId))
      .returning({ id: payments.id })
    return { paymentsAnonymised: moved.length }
  },
}
